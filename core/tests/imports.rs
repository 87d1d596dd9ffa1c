//! The core's imports only point down: a test of the crate's own `crate::`/`super::`/`self::`
//! paths (in `use` lines and inline) that fails on any import circle between its files, and on
//! any import from a lower layer into a higher one (ground → record → policy → rules → kinds →
//! access/accept), and between two record kinds or two case workflows.
//!
//! Why a test and not a tool: it reads only this crate's sources with the standard library, so
//! it runs in `cargo test` on every machine with nothing to install. Test code is left out
//! (`tests.rs` files, `test_fixtures.rs`, and everything after `#[cfg(test)]` in a file): a
//! test may build fixtures from anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A source file's module path, e.g. `["kinds", "case", "returns"]` for
/// `src/kinds/case/returns.rs`; the crate root is `[]`.
type ModulePath = Vec<String>;

/// The layers, bottom first, by module path prefix. A file may import from its own layer or
/// below. A file not listed here fails the test, so a new top-level module is placed on purpose.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "ground",
        &[
            "lang", "money", "hlc", "account", "input", "tracking", "storage",
        ],
    ),
    ("record", &["record", "sync", "photo", "limits"]),
    ("policy", &["policy"]),
    ("rules", &["rules"]),
    ("kinds", &["kinds"]),
    (
        "top",
        &[
            "validate",
            "access",
            "accept",
            "recovery",
            "after_sales",
            "figures",
            "",
        ],
    ),
];

/// Kinds that may import another kind: where one kind is the type of another's field. Each
/// names why.
const KIND_TO_KIND: &[(&str, &str, &str)] = &[
    (
        "kinds::handover",
        "kinds::case",
        "a handover lists the open pins and the replies owed, from the cases' rows",
    ),
    (
        "kinds::handover",
        "kinds::case::pin",
        "a handover lists the open pins as the pinned list orders them",
    ),
    (
        "kinds::case::inquiry",
        "kinds::customer",
        "an inquiry links a customer profile",
    ),
    (
        "kinds::customer",
        "kinds::case",
        "a profile lists its cases' rows",
    ),
    (
        "kinds::case::order_follow_up",
        "kinds::customer",
        "the merge hint finds the same customer's orders",
    ),
    (
        "kinds::case::return_follow_up",
        "kinds::case::returns",
        "the flow reads the return's facts and inspections",
    ),
    (
        "kinds::case::after_sales_situation",
        "kinds::case::returns",
        "a situation is on a return and reads its facts",
    ),
    (
        "kinds::case::after_sales_situation",
        "kinds::case::order_follow_up",
        "a lost-parcel claim names the order's tracking number",
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn module_path(file: &Path) -> ModulePath {
    let relative = file.strip_prefix(src()).unwrap().with_extension("");
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts == ["lib"] { Vec::new() } else { parts }
}

fn source_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let name = path.file_name().unwrap().to_string_lossy();
            if name != "tests.rs" && name != "test_fixtures.rs" {
                files.push(path);
            }
        }
    }
}

/// The code of a file without its tests and comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path this code names from the crate, expanded (`use crate::{a, b::c}` gives `a` and
/// `b::c`), resolved against `module` for `super::` and `self::`.
fn named_paths(code: &str, module: &ModulePath) -> Vec<ModulePath> {
    let mut paths = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let starts_word = at == 0 || !(chars[at - 1].is_alphanumeric() || chars[at - 1] == '_');
        let rest: String = chars[at..chars.len().min(at + 7)].iter().collect();
        let base: Option<ModulePath> = if !starts_word {
            None
        } else if rest.starts_with("crate::") {
            at += "crate::".len();
            Some(Vec::new())
        } else if rest.starts_with("super::") {
            at += "super::".len();
            let mut base = module.clone();
            base.pop();
            while chars[at..]
                .iter()
                .collect::<String>()
                .starts_with("super::")
            {
                base.pop();
                at += "super::".len();
            }
            Some(base)
        } else if rest.starts_with("self::") {
            at += "self::".len();
            Some(module.clone())
        } else {
            None
        };
        match base {
            Some(base) => at = read_tree(&chars, at, base, &mut paths),
            None => at += 1,
        }
    }
    paths
}

/// Reads a path tree at `at` (`a::b`, `{a, b::{c}}`) under `base`; returns where it ends.
fn read_tree(
    chars: &[char],
    mut at: usize,
    base: ModulePath,
    paths: &mut Vec<ModulePath>,
) -> usize {
    let mut path = base;
    loop {
        if chars.get(at) == Some(&'{') {
            at += 1;
            loop {
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_whitespace() || *c == ',')
                {
                    at += 1;
                }
                if chars.get(at) == Some(&'}') || at >= chars.len() {
                    return at + 1;
                }
                let start = at;
                at = read_tree(chars, at, path.clone(), paths);
                // A glob (`*`) or a rename reads as nothing: step over it.
                at = at.max(start + 1);
            }
        }
        let start = at;
        while chars
            .get(at)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            at += 1;
        }
        let segment: String = chars[start..at].iter().collect();
        if !segment.is_empty() && segment != "self" {
            path.push(segment);
        }
        if chars.get(at) == Some(&':') && chars.get(at + 1) == Some(&':') {
            at += 2;
        } else {
            paths.push(path);
            return at;
        }
    }
}

/// The longest prefix of `path` that is a file of the crate.
fn file_of(path: &ModulePath, files: &BTreeSet<ModulePath>) -> Option<ModulePath> {
    (0..=path.len())
        .rev()
        .map(|len| path[..len].to_vec())
        .find(|prefix| files.contains(prefix))
}

fn is_within(inner: &ModulePath, outer: &ModulePath) -> bool {
    inner.len() >= outer.len() && inner[..outer.len()] == outer[..]
}

fn name(module: &ModulePath) -> String {
    if module.is_empty() {
        "lib".to_owned()
    } else {
        module.join("::")
    }
}

/// The import edges between files: a file's import of a file inside itself (a parent naming
/// its own submodule) is its own business and left out.
fn edges() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    let modules: BTreeSet<ModulePath> = files.iter().map(|file| module_path(file)).collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let module = module_path(file);
        let text = fs::read_to_string(file).unwrap();
        let targets: BTreeSet<ModulePath> = named_paths(&code(&text), &module)
            .iter()
            .filter_map(|path| file_of(path, &modules))
            .filter(|target| !is_within(target, &module))
            .collect();
        edges.insert(module, targets);
    }
    edges
}

fn layer(module: &ModulePath) -> usize {
    let top = module.first().map(String::as_str).unwrap_or("");
    LAYERS
        .iter()
        .position(|(_, prefixes)| prefixes.contains(&top))
        .unwrap_or_else(|| panic!("{} is in no layer of LAYERS", name(module)))
}

/// The record kind or case workflow a `kinds` file belongs to: `kinds::case::returns` for
/// `kinds/case/returns.rs` and its submodules, `kinds::customer` for `kinds/customer.rs`.
fn kind(module: &ModulePath) -> Option<String> {
    match module.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["kinds", "case", workflow, ..] => Some(format!("kinds::case::{workflow}")),
        ["kinds", kind, ..] => Some(format!("kinds::{kind}")),
        _ => None,
    }
}

/// The import circles among `edges`: Tarjan's strongly connected components of two files or
/// more.
fn circles(edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<String>> {
    struct Search<'a> {
        edges: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, node: &'a ModulePath) {
            let next = self.index.len();
            self.index.insert(node, next);
            self.low.insert(node, next);
            self.stack.push(node);
            for target in self.edges.get(node).into_iter().flatten() {
                let Some((target, _)) = self.edges.get_key_value(target) else {
                    continue;
                };
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[node].min(self.low[target]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&target) {
                    let low = self.low[node].min(self.index[target]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    component.push(name(member));
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !search.index.contains_key(node) {
            search.visit(node);
        }
    }
    search.found
}

#[test]
fn the_core_s_files_import_in_no_circle() {
    let found = circles(&edges());
    assert!(found.is_empty(), "import circles in core/src: {found:#?}");
}

#[test]
fn imports_point_down_the_layers_and_no_kind_imports_another() {
    let mut wrong = Vec::new();
    for (from, targets) in edges() {
        for to in targets {
            if layer(&to) > layer(&from) {
                wrong.push(format!(
                    "{} ({}) imports {} ({})",
                    name(&from),
                    LAYERS[layer(&from)].0,
                    name(&to),
                    LAYERS[layer(&to)].0
                ));
            }
            let (Some(from_kind), Some(to_kind)) = (kind(&from), kind(&to)) else {
                continue;
            };
            // A workflow uses its record kind (`kinds/case.rs`), and the kind lists its
            // workflows: that is one kind, not two.
            let same = from_kind == to_kind
                || (from_kind.starts_with("kinds::case::") && to_kind == "kinds::case");
            let allowed = KIND_TO_KIND
                .iter()
                .any(|(a, b, _)| *a == from_kind && *b == to_kind);
            if !same && !allowed {
                wrong.push(format!("{from_kind} imports {to_kind}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up or across: {wrong:#?}"
    );
}

/// The check itself: a circle and an upward import are found, so the tests above can fail.
#[test]
fn the_check_finds_a_circle_and_an_upward_import() {
    let module = |path: &str| -> ModulePath { path.split("::").map(str::to_owned).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(
        module("rules::order_flow"),
        BTreeSet::from([module("policy")]),
    );
    edges.insert(
        module("policy"),
        BTreeSet::from([module("rules::order_flow")]),
    );
    edges.insert(module("lang"), BTreeSet::new());
    assert_eq!(
        circles(&edges),
        [vec!["policy".to_owned(), "rules::order_flow".to_owned()]]
    );
    assert!(layer(&module("policy")) < layer(&module("rules::order_flow")));
    assert_eq!(
        named_paths(
            "use crate::{lang::Bilingual, kinds::case::{self, returns::Inspection}};\nlet x = super::Field;",
            &module("rules::order_flow"),
        ),
        [
            module("lang::Bilingual"),
            module("kinds::case"),
            module("kinds::case::returns::Inspection"),
            module("rules::Field"),
        ]
    );
}
