//! A report's table as both the page and its CSV file show it: the same columns, the same
//! cells, so the figures downloaded are the figures on the screen. A cell without data is
//! `None`: the page says "no data" in the reader's language, the CSV leaves the cell empty.
//! The CSV is RFC 4180 (the `csv` crate's writer, CRLF line ends) behind a UTF-8 byte-order
//! mark, so a spreadsheet opens the Chinese names as UTF-8 (the weekly after-sales summary's
//! convention).

use crate::lang::{Bilingual, Lang};

/// One column: its stable id (the CSV's header in English), its name, and its cell.
pub struct Column<T> {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub cell: fn(&T) -> Option<String>,
}

impl<T> Column<T> {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(self.zh, self.en)
    }
}

/// `rows` as a CSV file: a first row naming what it covers (`period`), the header in `lang`,
/// then a line per row.
pub fn to_csv<T>(columns: &[Column<T>], rows: &[T], period: &str, lang: Lang) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    let written = (|| {
        writer.write_record([period])?;
        writer.write_record(
            columns
                .iter()
                .map(|column| column.name().get(lang).to_owned()),
        )?;
        for row in rows {
            writer.write_record(
                columns
                    .iter()
                    .map(|column| (column.cell)(row).unwrap_or_default()),
            )?;
        }
        writer.flush()
    })();
    // Writing to memory does not fail; a row that could would be a bug worth seeing.
    written.expect("CSV written to memory");
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// A figure to one decimal, as both the page and the CSV show it.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    static COLUMNS: [Column<(&str, Option<u32>)>; 2] = [
        Column {
            id: "name",
            zh: "名称",
            en: "Name",
            cell: |row| Some(row.0.to_owned()),
        },
        Column {
            id: "count",
            zh: "数量",
            en: "Count",
            cell: |row| row.1.map(|count| count.to_string()),
        },
    ];

    #[test]
    fn csv_is_rfc_4180_behind_a_byte_order_mark() {
        let rows = [("价格, 及\"优惠\"", Some(3)), ("无数据", None)];
        let table = [
            (
                Lang::ZhHans,
                "\u{feff}2026-12\r\n名称,数量\r\n\"价格, 及\"\"优惠\"\"\",3\r\n无数据,\r\n",
            ),
            (
                Lang::En,
                "\u{feff}2026-12\r\nName,Count\r\n\"价格, 及\"\"优惠\"\"\",3\r\n无数据,\r\n",
            ),
        ];
        for (lang, expected) in table {
            assert_eq!(to_csv(&COLUMNS, &rows, "2026-12", lang), expected);
        }
        assert_eq!(one_decimal(100.0 / 3.0), "33.3");
        assert_eq!(one_decimal(75.0), "75.0");
    }
}
