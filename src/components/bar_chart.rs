//! A horizontal bar chart drawn as plain SVG: a bar per row, its name at the left and its
//! figure at the bar's end. Hand-made rather than a charting crate: the reports need bars and
//! nothing else, and the crates that draw them for the web (plotters, charming) would add
//! their renderer to every device's download (issue 28's budget). Every chart stands above a
//! table that says the same, its text alternative for screen readers and for reading figures
//! exactly; the SVG itself is one labelled image.

use leptos::prelude::*;

/// One bar: its name, its length against the chart's `most`, and the figure written beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub name: String,
    pub value: f64,
    pub text: String,
}

const ROW: usize = 28;
const NAME_WIDTH: f64 = 190.0;
const BAR_WIDTH: f64 = 420.0;

#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    /// The value a full-length bar stands for (at least the largest bar).
    most: f64,
    /// What the chart shows, as its accessible name.
    title: String,
    testid: &'static str,
) -> impl IntoView {
    let most = bars
        .iter()
        .map(|bar| bar.value)
        .fold(most, f64::max)
        .max(1.0);
    let height = bars.len() * ROW + 8;
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(row, bar)| {
            let y = row * ROW + 4;
            let width = (BAR_WIDTH * bar.value.max(0.0) / most).round();
            view! {
                <text x="0" y=y + 17 font-size="13" fill="#1f2328">{bar.name}</text>
                <rect x=NAME_WIDTH y=y width=width height="20" fill="#c0392b"></rect>
                <text x=NAME_WIDTH + 5.0 + width y=y + 15 font-size="13" fill="#1f2328">{bar.text}</text>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            data-testid=testid
            role="img"
            aria-label=title
            viewBox=format!("0 0 660 {height}")
            width="100%"
        >
            {drawn}
        </svg>
    }
}
