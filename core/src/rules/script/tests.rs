//! Table tests of the guided scripts: required fields per step, order, versions kept.

use super::*;
use serde_json::json;

fn policy() -> ScriptPolicy<'static> {
    Policy::default_policy().into()
}

/// A record filling every field of `step` (a choice with its list's first entry).
fn complete(policy: &ScriptPolicy, script: &Script, step: &ScriptStep) -> StepRecord {
    let values = step
        .fields
        .iter()
        .map(|field| {
            let value = match field.input {
                ScriptInput::Text => json!(format!("{} …", field.zh)),
                ScriptInput::Check => json!(true),
                ScriptInput::Choice => json!(policy.list(field.list.unwrap())[0].id),
            };
            (field.id.clone(), value)
        })
        .collect();
    StepRecord::new(script, step, values)
}

#[test]
fn the_default_scripts_have_the_manuals_steps_in_order() {
    let policy = policy();
    let steps = |kind: &str| -> Vec<String> {
        let script = policy.latest(kind).unwrap();
        script.steps.iter().map(|step| step.zh.clone()).collect()
    };
    assert_eq!(
        steps("complaint"),
        [
            "倾听认知",
            "同步引导",
            "澄清陈述",
            "解决感谢",
            "投诉登记",
            "处理结果反馈"
        ]
    );
    assert_eq!(
        steps("feedback"),
        [
            "倾听理解",
            "感谢客户",
            "解答陈述",
            "反馈登记",
            "处理结果反馈"
        ]
    );
    assert!(policy.latest("inquiry").is_none());
}

#[test]
fn each_step_needs_its_required_fields() {
    let policy = policy();
    // (script, step, the fields it requires)
    let table: &[(&str, &str, &[&str])] = &[
        ("complaint", "listen", &["mindset", "facts"]),
        ("complaint", "guide", &["need", "guiding_answers"]),
        (
            "complaint",
            "clarify",
            &["fault", "solutions", "summary", "agreed"],
        ),
        ("complaint", "resolve_thank", &["asked", "thanked"]),
        (
            "complaint",
            "register",
            &["category", "cause", "problem", "solution", "result"],
        ),
        (
            "complaint",
            "report_back",
            &["department", "department_result", "told_by", "told"],
        ),
        ("feedback", "listen", &["underlying_need"]),
        ("feedback", "thank", &["thanked"]),
        ("feedback", "explain", &["current_service", "thanked_again"]),
        ("feedback", "register", &["problem", "suggestion"]),
        ("feedback", "report_back", &["department", "told_by"]),
    ];
    for (kind, step_id, required) in table {
        let script = policy.latest(kind).unwrap();
        let position = script
            .steps
            .iter()
            .position(|step| step.id == *step_id)
            .unwrap();
        let done: Vec<StepRecord> = script.steps[..position]
            .iter()
            .map(|step| complete(&policy, script, step))
            .collect();
        let step = &script.steps[position];
        let full = complete(&policy, script, step);
        assert_eq!(
            check_step(&policy, kind, &done, &full),
            Ok(()),
            "{kind} {step_id}"
        );
        let declared: Vec<&str> = step
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| field.id.as_str())
            .collect();
        assert_eq!(&declared, required, "{kind} {step_id}");
        for field in step.fields.iter().filter(|field| field.required) {
            let mut values: BTreeMap<String, Value> = step
                .fields
                .iter()
                .filter_map(|each| Some((each.id.clone(), full.value(each)?)))
                .collect();
            // Left out, blank, or (a box) unticked: each is "please fill in".
            let emptied = match field.input {
                ScriptInput::Check => json!(false),
                _ => json!("  "),
            };
            for value in [None, Some(emptied)] {
                match value {
                    None => values.remove(&field.id),
                    Some(value) => values.insert(field.id.clone(), value),
                };
                let record = StepRecord::new(script, step, values.clone());
                assert_eq!(
                    check_step(&policy, kind, &done, &record),
                    Err(ScriptProblem::Missing { name: field.name() }),
                    "{kind} {step_id} without {}",
                    field.id
                );
            }
        }
    }
}

#[test]
fn steps_go_only_in_order() {
    let policy = policy();
    let script = policy.latest("complaint").unwrap();
    let records: Vec<StepRecord> = script
        .steps
        .iter()
        .map(|step| complete(&policy, script, step))
        .collect();
    // (steps done, the step tried, the answer)
    let listen = || script.steps[0].name();
    let clarify = || script.steps[2].name();
    let table: Vec<(usize, usize, Result<(), ScriptProblem>)> = vec![
        (0, 0, Ok(())),
        (
            0,
            1,
            Err(ScriptProblem::OutOfOrder {
                expected: listen(),
                step: "guide".into(),
            }),
        ),
        (2, 2, Ok(())),
        (
            2,
            4,
            Err(ScriptProblem::OutOfOrder {
                expected: clarify(),
                step: "register".into(),
            }),
        ),
        (
            2,
            1,
            Err(ScriptProblem::OutOfOrder {
                expected: clarify(),
                step: "guide".into(),
            }),
        ),
        (5, 5, Ok(())),
        (6, 5, Err(ScriptProblem::Finished)),
    ];
    for (done, tried, answer) in table {
        assert_eq!(
            check_step(&policy, "complaint", &records[..done], &records[tried]),
            answer,
            "{done} done, step {tried} tried"
        );
    }
    assert_eq!(
        next_step(script, &records[..3]).map(|step| step.id.as_str()),
        Some("resolve_thank")
    );
    assert_eq!(next_step(script, &records), None);
}

#[test]
fn choices_come_from_their_lists_and_nothing_else_is_recorded() {
    let policy = policy();
    let script = policy.latest("complaint").unwrap();
    let step = &script.steps[0];
    let mut record = complete(&policy, script, step);
    record.values.insert("mindset".into(), json!("revenge"));
    assert_eq!(
        check_step(&policy, "complaint", &[], &record),
        Err(ScriptProblem::NotAnOption {
            name: step.fields[0].name(),
            value: "revenge".into()
        })
    );
    let mut record = complete(&policy, script, step);
    record.values.insert("vip".into(), json!("yes"));
    assert_eq!(
        check_step(&policy, "complaint", &[], &record),
        Err(ScriptProblem::UnknownField { id: "vip".into() })
    );
    let mut record = complete(&policy, script, step);
    record.said = Some("nobody reads this step aloud".into());
    assert_eq!(
        check_step(&policy, "complaint", &[], &record),
        Err(ScriptProblem::UnknownField { id: "said".into() })
    );
    let mut record = complete(&policy, script, step);
    record.values.insert("facts".into(), json!(true));
    assert_eq!(
        check_step(&policy, "complaint", &[], &record),
        Err(ScriptProblem::WrongType {
            name: step.fields[1].name()
        })
    );
}

#[test]
fn the_text_the_customer_hears_is_kept_apart() {
    let policy = policy();
    let script = policy.latest("complaint").unwrap();
    let clarify = &script.steps[2];
    let record = complete(&policy, script, clarify);
    assert_eq!(
        record.said.as_deref(),
        Some("与客户达成一致的总结（道歉或说明） …")
    );
    assert!(!record.values.contains_key("summary"));
}

#[test]
fn a_case_keeps_the_script_version_it_started_with() {
    let base = Policy::default_policy();
    let mut scripts = base.scripts.clone();
    let mut edited = ScriptPolicy::from(base)
        .latest("complaint")
        .unwrap()
        .clone();
    edited.version = 2;
    // Version 2 asks for the customer's demand at the first step.
    edited.steps[0]
        .fields
        .iter_mut()
        .find(|field| field.id == "demand")
        .unwrap()
        .required = true;
    scripts.push(edited);
    let policy = ScriptPolicy {
        scripts: &scripts,
        ..ScriptPolicy::from(base)
    };
    let v1 = policy.version("complaint", 1).unwrap();
    let v2 = policy.version("complaint", 2).unwrap();

    let mut started = complete(&policy, v1, &v1.steps[0]);
    started.values.remove("demand");
    // A new case starts with version 2, where the demand is required …
    assert_eq!(policy.latest("complaint").unwrap().version, 2);
    let mut new_under_v2 = started.clone();
    new_under_v2.version = 2;
    assert_eq!(
        check_step(&policy, "complaint", &[], &new_under_v2),
        Err(ScriptProblem::Missing {
            name: v2.steps[0].fields[2].name()
        })
    );
    // … a case started (offline) with version 1 keeps it, step after step.
    assert_eq!(check_step(&policy, "complaint", &[], &started), Ok(()));
    let guide = complete(&policy, v1, &v1.steps[1]);
    assert_eq!(
        check_step(&policy, "complaint", &[started.clone()], &guide),
        Ok(())
    );
    assert_eq!(
        script_for(&policy, "complaint", &[started.clone()])
            .unwrap()
            .version,
        1
    );
    let mut switched = guide.clone();
    switched.version = 2;
    assert_eq!(
        check_step(&policy, "complaint", &[started], &switched),
        Err(ScriptProblem::VersionChanged { started: 1 })
    );
    // A version the policy no longer holds is named.
    let mut unknown = complete(&policy, v1, &v1.steps[0]);
    unknown.version = 7;
    assert_eq!(
        check_step(&policy, "complaint", &[], &unknown),
        Err(ScriptProblem::NoScript {
            case_kind: "complaint".into(),
            version: 7
        })
    );
}
