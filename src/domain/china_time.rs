//! Dates as a person in China reads them. The register stores times in UTC (RFC 3339);
//! every date it shows, prints or takes (a change's effective date, a certificate's date,
//! the days of a plate-making order, a token's expiry) is the date in China, UTC+8, which
//! has no daylight saving. This is the one place that knows the offset.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

/// China Standard Time.
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Today's date in China.
pub fn today() -> NaiveDate {
    date_at(Utc::now())
}

/// The date in China at an instant.
pub fn date_at(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&offset()).date_naive()
}

/// The date in China of a stored time (RFC 3339), or a date given as `YYYY-MM-DD`.
pub fn date_of(s: &str) -> Option<NaiveDate> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(date_at(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The instant a day begins in China, as stored (RFC 3339, UTC): 16:00 UTC the day before.
pub fn start_of(d: NaiveDate) -> String {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_local_timezone(offset()).single();
    midnight.map(|t| t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true)).unwrap_or_default()
}

/// The last second of a day in China, as stored (RFC 3339, UTC).
pub fn end_of(d: NaiveDate) -> String {
    let last = d.and_hms_opt(23, 59, 59).unwrap_or_default().and_local_timezone(offset()).single();
    last.map(|t| t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true)).unwrap_or_default()
}

/// `2026年12月5日` (GB/T 9704) for a stored time or a date, in China; the text itself when
/// it is neither.
pub fn date_zh(s: &str) -> String {
    match date_of(s) {
        Some(d) => d.format("%Y年%-m月%-d日").to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_after_16_00_utc_is_the_next_day_in_china() {
        // 03:38 on 5 December in Beijing.
        assert_eq!(date_of("2026-12-04T19:38:00.000Z"), NaiveDate::from_ymd_opt(2026, 12, 5));
        assert_eq!(date_zh("2026-12-04T19:38:00.000Z"), "2026年12月5日");
        assert_eq!(date_zh("2026-12-04T15:59:59Z"), "2026年12月4日");
        assert_eq!(date_zh("2026-12-04T23:59:59+08:00"), "2026年12月4日");
        assert_eq!(date_zh("2026-12-04"), "2026年12月4日", "a bare date is already a date in China");
        assert_eq!(date_zh("不是日期"), "不是日期");
    }

    #[test]
    fn a_day_in_china_runs_from_16_00_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(start_of(d), "2026-12-04T16:00:00.000Z");
        assert_eq!(end_of(d), "2026-12-05T15:59:59.000Z");
        assert_eq!(date_at(Utc::now()), today());
    }
}
