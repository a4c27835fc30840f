//! Address washing from the command line: CSV in UTF-8 or GBK, one column resolved.

mod common;

use std::process::Command;

use common::*;

fn wash(db: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_menpai")).arg("wash").args(args).env("DATABASE_URL", &db.url).output().unwrap()
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

#[test]
fn a_gbk_csv_is_washed_into_utf8_with_the_results_appended() {
    let db = TestDb::new();
    db.app().import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let output = dir.path().join("out.csv");
    let rows =
        "姓名,住址\r\n张三,湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号\r\n李四,火星殖民地\r\n王五\r\n赵六,河南南阳宛城区工农路8号\r\n";
    std::fs::write(&input, gbk(rows)).unwrap();
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址", "--out", output.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("第 4 行"), "a malformed row is reported by its line: {stderr}");
    assert!(stderr.contains("清洗完成：4 行"), "{stderr}");
    let bytes = std::fs::read(&output).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM, for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "姓名,住址,menpai_status,menpai_id,menpai_canonical,menpai_confidence,menpai_corrections,menpai_outside,menpai_unmatched"
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("张三,湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号,已匹配,plt_"), "{first}");
    assert!(lines.next().unwrap().starts_with("李四,火星殖民地,未找到,,"));
    // A row without the column is padded to the header's columns.
    assert_eq!(lines.next().unwrap(), "王五,,格式错误,,,0.00,,,");
    // A place elsewhere in China is not found, with where it is.
    let elsewhere = lines.next().unwrap();
    assert!(elsewhere.starts_with("赵六,河南南阳宛城区工农路8号,未找到,,"), "{elsewhere}");
    assert!(elsewhere.contains(",河南省南阳市宛城区,"), "{elsewhere}");
}

#[test]
fn an_unknown_column_or_encoding_is_a_clear_error() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "\u{feff}name,address\nA,somewhere\n").unwrap();
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有名为“住址”的列"));
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "2", "--encoding", "latin9"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("不支持的编码"));
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "2"]);
    assert!(o.status.success(), "a column by position, UTF-8 with BOM: {}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("A,somewhere,未找到"));
}

#[test]
fn old_records_are_washed_against_the_register_of_their_day() {
    let db = TestDb::new();
    db.app().import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let output = dir.path().join("out.csv");
    // 航空大道 was 机场路 until 2015-06-30.
    std::fs::write(&input, "户主,住址\n张三,恩施市机场路123号\n").unwrap();
    let args = [input.to_str().unwrap(), "--column", "住址", "--out", output.to_str().unwrap(), "--at", "2014-12-31"];
    let o = wash(&db, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(std::fs::read(&output).unwrap()[3..].to_vec()).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains(",已匹配,") && row.contains("舞阳坝街道机场路123号"), "{row}");
    assert!(!row.contains("曾用名"), "机场路 was the name then: {row}");
    let bad = wash(&db, &[input.to_str().unwrap(), "--column", "住址", "--at", "2014-12-32"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

/// The washed file as text, without its BOM, by lines.
fn washed(path: &std::path::Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8(bytes[3..].to_vec()).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn every_row_keeps_the_header_s_columns_and_nothing_is_dropped_unsaid() {
    let db = TestDb::new();
    db.app().import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    let rows = "编号,住址,备注\n1,恩施市航空大道123号二楼，门面,甲\n2,恩施市航空大道123号,乙,多余,又多\n3,恩施市航空大道123号\n";
    std::fs::write(&input, rows).unwrap();
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址", "--out", output.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("第 3 行有 5 个字段，多于表头的 3 个"), "{stderr}");
    assert!(stderr.contains("第 4 行只有 2 个字段，少于表头的 3 个"), "{stderr}");
    let lines = washed(&output);
    let width = lines[0].split(',').count();
    assert_eq!(width, 10, "{}", lines[0]);
    for line in &lines {
        assert_eq!(line.split(',').count(), width, "{line}");
    }
    // What the resolver read past is in its own column.
    assert!(lines[1].starts_with("1,恩施市航空大道123号二楼，门面,甲,已匹配,plt_"), "{}", lines[1]);
    assert!(lines[1].ends_with(",门面"), "{}", lines[1]);
    assert!(lines[2].starts_with("2,恩施市航空大道123号,乙,已匹配,plt_"), "{}", lines[2]);
    assert!(lines[3].starts_with("3,恩施市航空大道123号,,已匹配,plt_"), "{}", lines[3]);
    assert!(lines[1].contains("补全上级区划："), "corrections in Chinese: {}", lines[1]);
}

#[test]
fn empty_header_only_and_wrongly_named_encodings_say_so() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "").unwrap();
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("为空"), "{}", String::from_utf8_lossy(&o.stderr));

    std::fs::write(&input, "\u{feff}姓名,住址\r\n").unwrap();
    let out = dir.path().join("out.csv");
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("没有数据行") && !stderr.contains("（）"), "{stderr}");
    assert_eq!(washed(&out).len(), 1);

    std::fs::write(&input, gbk("姓名,住址\r\n张三,恩施市航空大道123号\r\n")).unwrap();
    let o = wash(&db, &[input.to_str().unwrap(), "--column", "住址", "--encoding", "utf-8"]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("文件不是 UTF-8"), "{stderr}");
}
