//! Address washing (以人找房): resolves one column of a CSV of any size, row by row, and
//! appends status, ID, canonical text, confidence, corrections and, for a place outside the
//! register, its chain of names. Reads UTF-8 (with or
//! without BOM) or GB18030/GBK as Excel and WPS export it; writes UTF-8 with a BOM so
//! that Excel opens the result correctly.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::app::{Actor, App, AppError};

/// Rows resolved together, across both cores.
const BATCH: usize = 4096;

/// Counts the bytes read from the input file, for the progress bar.
struct Counting<R> {
    inner: R,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Decodes a byte stream to UTF-8 as it is read.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    pending: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: BufRead> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.pending.len() && !self.done {
            let chunk = self.inner.fill_buf()?;
            let last = chunk.is_empty();
            let capacity = self.decoder.max_utf8_buffer_length(chunk.len()).unwrap_or(chunk.len() * 3 + 16);
            let mut decoded = String::with_capacity(capacity);
            // With room for the worst case, one call decodes the whole chunk.
            let (_, read, _) = self.decoder.decode_to_string(chunk, &mut decoded, last);
            self.inner.consume(read);
            self.pending = decoded.into_bytes();
            self.at = 0;
            self.done = last;
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The encoding named, or the one the file's start shows: a UTF-8 BOM or valid UTF-8 is
/// UTF-8; anything else is taken for GB18030 (a superset of GBK).
fn encoding(name: Option<&str>, head: &[u8]) -> Result<&'static Encoding, AppError> {
    match name.map(str::to_ascii_lowercase).as_deref() {
        None | Some("auto") => Ok(if looks_utf8(head) { UTF_8 } else { GB18030 }),
        Some("utf-8" | "utf8") if looks_utf8(head) => Ok(UTF_8),
        Some("utf-8" | "utf8") => Err(AppError::Invalid(
            "文件不是 UTF-8 编码（Excel 和 WPS 常存为 GBK：可用 --encoding gbk，或不指定编码）".into(),
        )),
        Some("gbk" | "gb18030" | "gb2312") => Ok(GB18030),
        Some(other) => Err(AppError::Invalid(format!("不支持的编码“{other}”（可选 auto、utf-8、gbk、gb18030）"))),
    }
}

/// Whether the file's start is UTF-8: a BOM, or valid UTF-8 (a cut in the middle of a
/// multi-byte character at the end of what was read is not an error).
fn looks_utf8(head: &[u8]) -> bool {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return true;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    }
}

/// A status as the clerk reads it in the washed file.
pub(crate) fn status_zh(status: &str) -> &'static str {
    match status {
        "matched" => "已匹配",
        "partial" => "部分匹配",
        "ambiguous" => "有歧义",
        "not_found" => "未找到",
        _ => "格式错误",
    }
}

/// What a correction the resolver made is called, in the washed file.
fn correction_zh(kind: &str) -> &'static str {
    match kind {
        "former_name" => "曾用名",
        "homophone" => "同音字",
        "completed_level" => "补全上级区划",
        "numeral" => "数字写法",
        "short_form" => "简称",
        "informal_name" => "俗称",
        "pinyin" => "拼音",
        "traditional" => "繁体字",
        "sub_number" => "附号",
        "building" => "楼栋号",
        "unit" => "单元号",
        "room" => "室号",
        "split" => "拆分",
        "township" => "乡镇街道",
        "replaced" => "已被替代",
        _ => "更正",
    }
}

/// Washes `input` into `output` (stdout when None); returns the count of rows per status.
pub fn wash(
    app: &App,
    actor: &Actor,
    input: &Path,
    column: &str,
    output: Option<&Path>,
    encoding_name: Option<&str>,
    at: Option<&str>,
) -> Result<BTreeMap<String, u64>, AppError> {
    if let Some(at) = at {
        // A bad date is refused before the file is read, not at its first batch.
        app.dated(at)?;
    }
    let io = |e: std::io::Error| AppError::Invalid(format!("读写失败：{e}"));
    let file =
        std::fs::File::open(input).map_err(|e| AppError::Invalid(format!("无法读取文件 {}：{e}", input.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut reader = BufReader::with_capacity(1 << 16, Counting { inner: file, read: read.clone() });
    let head = reader.fill_buf().map_err(io)?;
    if head.is_empty() || head == [0xEF, 0xBB, 0xBF] {
        return Err(AppError::Invalid(format!("文件 {} 为空", input.display())));
    }
    let enc = encoding(encoding_name, head)?;
    let decoding = Decoding {
        inner: reader,
        decoder: enc.new_decoder_with_bom_removal(),
        pending: Vec::new(),
        at: 0,
        done: false,
    };
    let mut csv_in = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(decoding);
    let headers = csv_in.headers().map_err(|e| AppError::Invalid(format!("无法读取表头：{e}")))?.clone();
    let col = headers
        .iter()
        .position(|h| h.trim() == column)
        .or_else(|| column.parse::<usize>().ok().filter(|n| *n >= 1 && *n <= headers.len()).map(|n| n - 1))
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "没有名为“{column}”的列（表头：{}）",
                headers.iter().collect::<Vec<_>>().join("，")
            ))
        })?;
    let sink: Box<dyn Write> = match output {
        Some(p) => {
            Box::new(std::fs::File::create(p).map_err(|e| AppError::Invalid(format!("无法写入 {}：{e}", p.display())))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut sink = std::io::BufWriter::with_capacity(1 << 16, sink);
    sink.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut csv_out = csv::WriterBuilder::new().flexible(true).from_writer(sink);
    let mut out_headers: Vec<String> = headers.iter().map(str::to_string).collect();
    out_headers.extend(
        [
            "menpai_status",
            "menpai_id",
            "menpai_canonical",
            "menpai_confidence",
            "menpai_corrections",
            "menpai_outside",
            "menpai_unmatched",
        ]
        .map(String::from),
    );
    csv_out.write_record(&out_headers).map_err(|e| AppError::Invalid(e.to_string()))?;

    let bar = indicatif::ProgressBar::with_draw_target(Some(size), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    // (row number, fields, whether the column to wash was missing)
    let mut rows: Vec<(u64, csv::StringRecord, bool)> = Vec::with_capacity(BATCH);
    let mut records = csv_in.records();
    // Rows are numbered as a spreadsheet shows them: the header is row 1. (The csv
    // reader's own line count is off by one after CRLF line ends, which Excel writes.)
    let mut row_number: u64 = 1;
    loop {
        let next = records.next();
        let end = next.is_none();
        if next.is_some() {
            row_number += 1;
        }
        match next {
            Some(Ok(mut r)) => {
                // Every row keeps the header's columns: a short row is padded, a long one
                // cut back, and either is reported by its row number.
                let width = headers.len();
                if r.len() < width {
                    if col < r.len() {
                        eprintln!("第 {row_number} 行只有 {} 个字段，少于表头的 {width} 个：已补空", r.len());
                    }
                    let mut padded: Vec<String> = r.iter().map(str::to_string).collect();
                    let short = col >= padded.len();
                    padded.resize(width, String::new());
                    r = csv::StringRecord::from(padded);
                    rows.push((row_number, r, short));
                } else {
                    if r.len() > width {
                        let extra: Vec<&str> = r.iter().skip(width).collect();
                        eprintln!(
                            "第 {row_number} 行有 {} 个字段，多于表头的 {width} 个：多出的“{}”未写入结果",
                            r.len(),
                            extra.join(",")
                        );
                        r.truncate(width);
                    }
                    rows.push((row_number, r, false));
                }
            }
            Some(Err(e)) => {
                let line = row_number;
                eprintln!("第 {line} 行格式错误，已跳过：{e}");
                *counts.entry("malformed".into()).or_default() += 1;
            }
            None => {}
        }
        if rows.len() >= BATCH || (end && !rows.is_empty()) {
            let texts: Vec<String> = rows
                .iter()
                .map(|(_, r, _)| r.get(col).unwrap_or("").chars().take(crate::app::MAX_QUERY_CHARS).collect())
                .collect();
            let results = app.resolve_many(actor, &texts, at)?;
            for ((line, r, short), res) in rows.iter().zip(results) {
                let status = if *short {
                    eprintln!("第 {line} 行缺少“{column}”列");
                    "malformed".to_string()
                } else {
                    serde_json::to_value(res.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                };
                *counts.entry(status.clone()).or_default() += 1;
                let mut out: Vec<String> = r.iter().map(str::to_string).collect();
                let (id, canonical) = match (*short, res.address.as_ref()) {
                    (false, Some(a)) => (a.id.clone(), a.canonical.clone()),
                    _ => Default::default(),
                };
                let corrections = res
                    .corrections
                    .iter()
                    .map(|c| format!("{}：{}→{}", correction_zh(c.kind), c.from, c.to))
                    .collect::<Vec<_>>()
                    .join("；");
                // A place outside the register, by its chain of names (河南省南阳市宛城区).
                let outside = res.outside.as_ref().map(|o| o.chain.concat()).unwrap_or_default();
                // What the resolver read past (二楼, 门面): the clerk sees it was not lost.
                let unmatched = if *short { String::new() } else { res.unmatched.clone().unwrap_or_default() };
                out.extend([
                    status_zh(&status).to_string(),
                    id,
                    canonical,
                    format!("{:.2}", res.confidence),
                    corrections,
                    outside,
                    unmatched,
                ]);
                csv_out.write_record(&out).map_err(|e| AppError::Invalid(e.to_string()))?;
            }
            let done: u64 = counts.values().sum();
            bar.set_message(format!("{done} 行"));
            bar.set_position(read.load(std::sync::atomic::Ordering::Relaxed));
            rows.clear();
        }
        if end {
            break;
        }
    }
    csv_out.flush().map_err(io)?;
    bar.finish_and_clear();
    let total: u64 = counts.values().sum();
    app.audit_read(actor, "wash", &format!("file={} rows={total}", input.display()))?;
    Ok(counts)
}
