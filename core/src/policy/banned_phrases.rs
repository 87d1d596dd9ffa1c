//! Banned-phrase checker (服务禁语, seed 001 §14): finds every banned phrase in an agent's text, with its polite alternative.
//!
//! Text and phrases are both normalised before matching: compatibility forms are folded (NFKC,
//! so full-width "？" and "Ａ" become "?" and "a"), ASCII is lower-cased, and everything that is
//! not a letter or digit (spaces, punctuation) is dropped. "我 不 知 道" and "你问我，我问谁？"
//! are then caught however they are typed. Matching uses one Aho–Corasick automaton for all
//! phrases, so the check costs about the same for 30 phrases as for 3000 and can run on every
//! keystroke.

use crate::policy::{BannedPhraseEntry, PolicyError, PolicyProblem};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// One banned phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BannedPhraseMatch<'a> {
    /// Span in the original text counted in characters (what the editor highlights).
    pub chars: Range<usize>,
    /// The same span in bytes, for slicing the Rust string.
    pub bytes: Range<usize>,
    /// The phrase as the policy lists it.
    pub phrase: &'a str,
    pub alternative: &'a str,
}

#[derive(Debug, Clone)]
struct Pattern {
    phrase: String,
    alternative: String,
}

/// Compiled once per policy (see [`crate::policy::Policy::banned_phrases`]) and reused for
/// every check.
#[derive(Debug, Clone)]
pub struct BannedPhraseChecker {
    matcher: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl BannedPhraseChecker {
    /// Compiles the policy's list; refuses empty phrases, duplicates and alternatives that
    /// are themselves banned, naming the entry.
    pub fn build(entries: &[BannedPhraseEntry]) -> Result<Self, PolicyError> {
        let mut patterns = Vec::new();
        let mut normalized_patterns = Vec::new();
        let mut first_seen: HashMap<String, usize> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let field = format!("banned_phrases[{index}]");
            if entry.alternative.trim().is_empty() {
                return Err(PolicyError::invalid(
                    format!("{field}.alternative"),
                    PolicyProblem::Empty,
                ));
            }
            for phrase in entry.phrases() {
                let normalized = normalize(phrase).text;
                if normalized.is_empty() {
                    return Err(PolicyError::invalid(
                        format!("{field}.phrase"),
                        PolicyProblem::Empty,
                    ));
                }
                if first_seen.insert(normalized.clone(), index).is_some() {
                    return Err(PolicyError::invalid(
                        format!("{field}.phrase"),
                        PolicyProblem::Duplicate {
                            value: phrase.trim().into(),
                        },
                    ));
                }
                normalized_patterns.push(normalized);
                patterns.push(Pattern {
                    phrase: phrase.trim().into(),
                    alternative: entry.alternative.trim().into(),
                });
            }
        }
        let matcher = AhoCorasickBuilder::new()
            // Longest first, so "你听我说好吧" is reported once rather than as "你听我说" too.
            .match_kind(MatchKind::LeftmostLongest)
            .build(&normalized_patterns)
            .map_err(|error| {
                PolicyError::invalid(
                    "banned_phrases",
                    PolicyProblem::TooLarge {
                        reason: error.to_string(),
                    },
                )
            })?;
        let checker = BannedPhraseChecker { matcher, patterns };
        for (index, entry) in entries.iter().enumerate() {
            if let Some(found) = checker.find(&entry.alternative).first() {
                return Err(PolicyError::invalid(
                    format!("banned_phrases[{index}].alternative"),
                    PolicyProblem::AlternativeIsBanned {
                        phrase: found.phrase.into(),
                    },
                ));
            }
        }
        Ok(checker)
    }

    /// Every banned phrase in `text`, left to right, not overlapping.
    pub fn find<'a>(&'a self, text: &str) -> Vec<BannedPhraseMatch<'a>> {
        let normalized = normalize(text);
        // Matches come in text order, so characters are counted once, up to the last match.
        let (mut counted_bytes, mut counted_chars) = (0, 0);
        let mut char_index = |byte: usize| {
            counted_chars += text[counted_bytes..byte].chars().count();
            counted_bytes = byte;
            counted_chars
        };
        self.matcher
            .find_iter(&normalized.text)
            .map(|found| {
                let pattern = &self.patterns[found.pattern().as_usize()];
                let bytes =
                    normalized.original_start(found.start())..normalized.original_end(found.end());
                let chars = char_index(bytes.start)..char_index(bytes.end);
                BannedPhraseMatch {
                    chars,
                    bytes,
                    phrase: &pattern.phrase,
                    alternative: &pattern.alternative,
                }
            })
            .collect()
    }
}

/// A stretch of the normalised text and where it came from: either copied unchanged from the
/// original (most Chinese text), or the folded form of one original character.
#[derive(Debug, Clone, Copy)]
struct Segment {
    normalized_start: usize,
    original_start: usize,
    /// `Some(end of the original character)` when this is a folded character.
    folded_original_end: Option<usize>,
}

/// Normalised text and its segments. Only the characters that change (punctuation, spaces,
/// full-width forms) break the text into segments; the unchanged runs between them are
/// copied in one go, which keeps normalising a note as cheap as copying it.
struct Normalized {
    text: String,
    segments: Vec<Segment>,
}

impl Normalized {
    fn segment_at(&self, normalized: usize) -> Segment {
        let after = self
            .segments
            .partition_point(|segment| segment.normalized_start <= normalized);
        self.segments[after - 1]
    }

    fn original_start(&self, normalized: usize) -> usize {
        let segment = self.segment_at(normalized);
        match segment.folded_original_end {
            None => segment.original_start + (normalized - segment.normalized_start),
            Some(_) => segment.original_start,
        }
    }

    fn original_end(&self, normalized_end: usize) -> usize {
        let segment = self.segment_at(normalized_end - 1);
        match segment.folded_original_end {
            None => segment.original_start + (normalized_end - segment.normalized_start),
            Some(original_end) => original_end,
        }
    }

    fn copy(&mut self, original: &str, original_start: usize) {
        if !original.is_empty() {
            self.segments.push(Segment {
                normalized_start: self.text.len(),
                original_start,
                folded_original_end: None,
            });
            self.text.push_str(original);
        }
    }
}

fn normalize(text: &str) -> Normalized {
    let mut normalized = Normalized {
        text: String::with_capacity(text.len()),
        segments: Vec::new(),
    };
    let mut run_start = 0;
    for (byte_start, c) in text.char_indices() {
        if is_unchanged(c) {
            continue;
        }
        normalized.copy(&text[run_start..byte_start], run_start);
        run_start = byte_start + c.len_utf8();
        let folded_start = normalized.text.len();
        push_folded(c, |folded| normalized.text.push(folded));
        if normalized.text.len() > folded_start {
            normalized.segments.push(Segment {
                normalized_start: folded_start,
                original_start: byte_start,
                folded_original_end: Some(run_start),
            });
        }
    }
    normalized.copy(&text[run_start..], run_start);
    normalized
}

/// Characters normalisation keeps as they are: lower-case ASCII letters, digits, and the
/// common ideographs (already in NFKC, and almost every character an agent types).
fn is_unchanged(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || CJK_UNIFIED.contains(&c)
}

const FULL_WIDTH_ASCII: std::ops::RangeInclusive<char> = '\u{FF01}'..='\u{FF5E}';
const FULL_WIDTH_TO_ASCII: u32 = 0xFEE0;
const CJK_UNIFIED: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// Passes on a character that normalisation may change, folded for matching and dropped if
/// it is not a letter or digit. ASCII and full-width ASCII take a fast path (their NFKC form
/// is known), then any character NFKC leaves alone (a table look-up, e.g. "。" and "“");
/// only the rest pays for a full NFKC decomposition.
fn push_folded(c: char, mut keep: impl FnMut(char)) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            keep(c.to_ascii_lowercase());
        }
    } else if FULL_WIDTH_ASCII.contains(&c) {
        if let Some(ascii) = char::from_u32(c as u32 - FULL_WIDTH_TO_ASCII)
            && ascii.is_ascii_alphanumeric()
        {
            keep(ascii.to_ascii_lowercase());
        }
    } else if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        for lower in c.to_lowercase() {
            if lower.is_alphanumeric() {
                keep(lower);
            }
        }
    } else {
        for folded in std::iter::once(c).nfkc() {
            for lower in folded.to_lowercase() {
                if lower.is_alphanumeric() {
                    keep(lower);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    /// Expected matches of one text: character span and phrase.
    type ExpectedSpans = Vec<(Range<usize>, &'static str)>;
    /// Expected matches of one text: character span and byte span.
    type ExpectedRanges = Vec<(Range<usize>, Range<usize>)>;

    /// The lines of seed 001 §14 exactly as the manual prints them.
    const SEED_001_SECTION_14: [&str; 29] = [
        "你听我说好吧、我不是跟你说过了吗",
        "急什么,别催我",
        "快点说",
        "让我说完你再讲/我告诉你/我跟你讲/你听我说",
        "跟你说过了,你怎么还问刚才不是已经告诉你了吗/我不是跟你说的很清楚了吗",
        "不关我的事",
        "大声点,这么小根本听不到",
        "不解释,就是这么规定的",
        "我说了你又不相信",
        "你听不懂我说话吗?",
        "我不知道,我不清楚",
        "不是有吗,你自己去看",
        "就这样吧,我挂了",
        "说话呀,再不说话我就挂了",
        "什么意思?谁告诉你的?我怎么知道",
        "你怎么这样?怎么现在才说?",
        "你着什么急",
        "我就这个态度",
        "不行就是不行",
        "没法查!没办法!",
        "有什么了不起的",
        "你到底想怎么样",
        "明明就是你的问题/这不是我们的问题",
        "你有完没完",
        "嘴巴放干净一点,这又不是我的错",
        "你找领导也没用",
        "我就这态度,你想怎样?你要投诉就投诉吧",
        "你要是这样说的话,那我也没办法了",
        "你问我,我问谁?",
    ];

    /// Greetings, holding and closing lines from the manuals: first the ones the manuals print
    /// word for word (seeds 001–003), then the manuals' instructions (seed 000 §5–§7, seed 001
    /// 结束通话时) said to a customer. None of them may be flagged.
    const POLITE: [&str; 25] = [
        // seed 002 (7)3.3.1, 4、3、2 and 接听来电: greetings
        "您好,这里是公司客户服务部,请问有什么可以帮助您的?",
        "对不起,打扰了,我是某某服务中心的服务人员ⅩⅩⅩ,前来为您服务。",
        "您好,XX公司前台,请问有什么可以匡助您?",
        // seed 001 客户等候时: holding
        "谢谢您的耐心等待",
        // seed 002 (7)3.3.4: closing
        "感谢您的来电,祝您生活愉快,再见!",
        // seed 002 仅退款审核中处理: the two quick phrases
        "亲您这款包包已经正常发货了暂时不能给您办理仅退款呢您收到不喜欢退货回来吧有运费险的",
        "亲您这款包包已经正常发货了哦暂时不能给您办理仅退款呢需要您拒收商品退回后才能退款呢亲您暂时先取消一下退款申请吧亲您放心包包退回后我们会第一时间联系您退款的",
        // seed 003 如何做好售后服务: the model letter
        "很抱歉的通知您,截止到目前为止我们还没有收到您关于购买的物品的汇款确认,不知道您是否已经汇款。",
        "如果已经汇款希望您给我们确认邮件;如果您因为工作繁忙或者其它原因请在xxxx年xx月xx日前汇款。",
        "最后还是希望您能够履行自己的责任,相信您会喜欢这件物品的,谢谢!",
        // seed 001 通话禁忌
        "线路故障请挂机。",
        // seed 000 §6.4 解决感谢
        "假如你还有其它问题,请随时请求在线或者电话处理",
        "如果您还有其它问题，请随时在线或者电话联系我们。",
        "感谢您提出的宝贵意见和建议。",
        // seed 000 §7.2 感谢客户
        "非常感谢您的关注和参与。",
        // seed 000 §5.1, §5.4, §5.7(3), §5.7(5), §7.5
        "我们是在您的款项确认到账后即开始配送。",
        "您的包裹已经发出，请注意查收。",
        "请您放心，这个问题我们一定给您一个准确的答复。",
        "请您留下联系方式，我们核实后尽快回复您。",
        "您的问题我已经记录下来了，半个工作日内给您回复。",
        "您反馈的问题我们已经转给相关部门，处理完成后会第一时间通知您。",
        // seed 001 结束通话时: repeat the key facts, ask what else, thank
        "我再为您重复一下重要的信息：订单号和收货地址。",
        "请问还有什么可以为您做的吗？",
        // seed 002 快递问题处理 and 产品质量问题处理 (先行给客户道歉): holding and apologising
        "请您稍等，我帮您查询一下物流信息。",
        "很抱歉给您带来不便，我们马上为您处理。",
    ];

    fn checker() -> &'static BannedPhraseChecker {
        Policy::default_policy().banned_phrases()
    }

    fn found_phrases(text: &str) -> Vec<&'static str> {
        checker().find(text).into_iter().map(|m| m.phrase).collect()
    }

    /// Spaces between all characters, and ASCII punctuation swapped for full-width.
    fn variants(phrase: &str) -> [String; 3] {
        let spaced = phrase
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ");
        let full_width = phrase
            .chars()
            .map(|c| match c {
                ',' => '，',
                '?' => '？',
                '!' => '！',
                other => other,
            })
            .collect();
        [phrase.to_string(), spaced, full_width]
    }

    #[test]
    fn every_policy_phrase_is_found_inside_a_sentence_however_it_is_typed() {
        for entry in &Policy::default_policy().banned_phrases {
            for phrase in entry.phrases() {
                for variant in variants(phrase) {
                    let sentence = format!("好的。{variant}。麻烦您稍等");
                    let found = checker().find(&sentence);
                    assert_eq!(found.len(), 1, "{sentence:?} gave {found:?}");
                    assert_eq!(found[0].phrase, phrase.trim());
                    assert_eq!(found[0].alternative, entry.alternative.trim());
                    let span: String = sentence
                        .chars()
                        .skip(found[0].chars.start)
                        .take(found[0].chars.len())
                        .collect();
                    assert_eq!(&sentence[found[0].bytes.clone()], span);
                    assert_eq!(
                        normalize(&span).text,
                        normalize(phrase).text,
                        "span {span:?} of {sentence:?}"
                    );
                }
            }
        }
    }

    /// Every letter of every line is inside a match: each phrase the line lists is caught,
    /// not just one of them.
    #[test]
    fn every_line_of_the_seed_is_caught_with_full_width_punctuation_and_spaces() {
        const BEFORE: &str = "客户问物流，我回答：";
        let offset = BEFORE.chars().count();
        for line in SEED_001_SECTION_14 {
            for variant in variants(line) {
                let sentence = format!("{BEFORE}{variant}，麻烦您稍等");
                let found = checker().find(&sentence);
                for (index, c) in variant.chars().enumerate() {
                    assert!(
                        !c.is_alphanumeric()
                            || found.iter().any(|m| m.chars.contains(&(offset + index))),
                        "{c:?} of {sentence:?} is not inside a match: {found:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn polite_sentences_from_the_manuals_do_not_match() {
        for sentence in POLITE {
            assert_eq!(found_phrases(sentence), Vec::<&str>::new(), "{sentence:?}");
        }
        for entry in &Policy::default_policy().banned_phrases {
            assert!(found_phrases(&entry.alternative).is_empty(), "{entry:?}");
        }
    }

    #[test]
    fn spans_table() {
        let table: [(&str, ExpectedSpans); 6] = [
            ("我不知道", vec![(0..4, "我不知道")]),
            ("亲，我 不 知 道。", vec![(2..9, "我不知道")]),
            ("你问我，我问谁？", vec![(0..7, "你问我，我问谁？")]),
            ("你问我,我问谁?好吧", vec![(0..7, "你问我，我问谁？")]),
            (
                "我不知道，你自己去看",
                vec![(0..4, "我不知道"), (5..10, "你自己去看")],
            ),
            ("你听我说好吧", vec![(0..6, "你听我说好吧")]),
        ];
        for (text, expected) in table {
            let found: ExpectedSpans = checker()
                .find(text)
                .into_iter()
                .map(|m| (m.chars, m.phrase))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn byte_spans_slice_the_original_text() {
        let text = "Ａ先生，我 不 清 楚。";
        let found = checker().find(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].bytes.clone()], "我 不 清 楚");
        assert_eq!(found[0].chars, 4..11);
    }

    #[test]
    fn normalization_table() {
        let table = [
            ("你问我，我问谁？", "你问我我问谁"),
            ("Ｈｅｌｌｏ　Ｗｏｒｌｄ！", "helloworld"),
            ("我 不\t知\n道", "我不知道"),
            ("１２３", "123"),
            ("㈱", "株"),
            ("", ""),
            ("，。！？", ""),
        ];
        for (text, expected) in table {
            assert_eq!(normalize(text).text, expected, "{text:?}");
        }
    }

    #[test]
    fn spans_across_folded_and_dropped_characters() {
        let checker = BannedPhraseChecker::build(&[entry("ok吧/no way", "好的")]).unwrap();
        let table: [(&str, ExpectedRanges); 4] = [
            ("ＯＫ吧", vec![(0..3, 0..9)]),
            ("好，Ok 吧！", vec![(2..6, 6..12)]),
            ("No　Way！ok吧", vec![(0..6, 0..8), (7..10, 11..16)]),
            ("n o", vec![]),
        ];
        for (text, expected) in table {
            let found: ExpectedRanges = checker
                .find(text)
                .into_iter()
                .map(|m| (m.chars, m.bytes))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    fn entry(phrase: &str, alternative: &str) -> BannedPhraseEntry {
        BannedPhraseEntry {
            phrase: phrase.into(),
            alternative: alternative.into(),
        }
    }

    #[test]
    fn build_errors_name_the_entry() {
        let table = [
            (
                vec![
                    entry("我不知道", "我帮您确认"),
                    entry("快点说//急什么", "请稍等"),
                ],
                PolicyError::invalid("banned_phrases[1].phrase", PolicyProblem::Empty),
            ),
            (
                vec![entry("，。", "请稍等")],
                PolicyError::invalid("banned_phrases[0].phrase", PolicyProblem::Empty),
            ),
            (
                vec![entry("我不知道", " ")],
                PolicyError::invalid("banned_phrases[0].alternative", PolicyProblem::Empty),
            ),
            (
                vec![
                    entry("我不知道", "我帮您确认"),
                    entry("我 不 知 道", "稍等"),
                ],
                PolicyError::invalid(
                    "banned_phrases[1].phrase",
                    PolicyProblem::Duplicate {
                        value: "我 不 知 道".into(),
                    },
                ),
            ),
            (
                vec![entry("快点说", "我不知道，请快点说")],
                PolicyError::invalid(
                    "banned_phrases[0].alternative",
                    PolicyProblem::AlternativeIsBanned {
                        phrase: "快点说".into(),
                    },
                ),
            ),
        ];
        for (entries, expected) in table {
            assert_eq!(
                BannedPhraseChecker::build(&entries).unwrap_err(),
                expected,
                "{entries:?}"
            );
        }
    }
}
