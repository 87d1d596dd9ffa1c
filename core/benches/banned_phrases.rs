//! Times the banned-phrase check (seed 001 §14) on a 1,000-character note; the aim is ≤ 20 µs natively so it can run on every keystroke.
//!
//! A plain binary (no criterion) so CI stays fast: it prints the median and mean time per
//! check over many batches.

use kefu_core::policy::Policy;
use std::hint::black_box;
use std::time::Instant;

const NOTE_CHARS: usize = 1_000;
// Short batches, so that on a busy machine a batch interrupted by the scheduler is an
// outlier the median ignores rather than noise in every figure.
const BATCHES: usize = 5_000;
const CHECKS_PER_BATCH: usize = 10;

/// A realistic chat note: polite lines from the manuals with a few banned phrases typed in
/// the ways agents type them (full-width punctuation, spaces), repeated to 1,000 characters.
fn note() -> String {
    let lines = [
        "您好，这里是公司客户服务部，请问有什么可以帮助您的？",
        "亲您这款包包已经正常发货了暂时不能给您办理仅退款呢。",
        "我 不 知 道，",
        "请您稍等，我帮您查询一下物流信息。",
        "你问我，我问谁？",
        "感谢您的来电，祝您生活愉快，再见！",
        "Order SO-20260302-001 已发申通，单号７７３００１２３４５。",
        "不关我的事。",
    ];
    lines
        .iter()
        .cycle()
        .flat_map(|line| line.chars())
        .take(NOTE_CHARS)
        .collect()
}

fn main() {
    let checker = Policy::default_policy().banned_phrases();
    let note = note();
    assert_eq!(note.chars().count(), NOTE_CHARS);
    let matches = checker.find(&note).len();
    assert!(
        matches > 0,
        "the note must contain banned phrases to be a fair test"
    );

    for _ in 0..CHECKS_PER_BATCH * 10 {
        black_box(checker.find(black_box(&note)));
    }
    let mut per_check_micros: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..CHECKS_PER_BATCH {
                black_box(checker.find(black_box(&note)));
            }
            started.elapsed().as_secs_f64() * 1e6 / CHECKS_PER_BATCH as f64
        })
        .collect();
    per_check_micros.sort_by(f64::total_cmp);
    let median = per_check_micros[BATCHES / 2];
    let mean = per_check_micros.iter().sum::<f64>() / BATCHES as f64;
    println!(
        "banned-phrase check, {NOTE_CHARS}-character note ({matches} matches), {} checks: median {median:.2} µs, mean {mean:.2} µs, fastest batch {:.2} µs, slowest batch {:.2} µs",
        BATCHES * CHECKS_PER_BATCH,
        per_check_micros[0],
        per_check_micros[BATCHES - 1],
    );
}
