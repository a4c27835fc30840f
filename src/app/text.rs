//! Free text a person types into a change (reasons, document numbers, applicants, notes,
//! token labels): trimmed, and bounded so that a register of legal records holds no
//! megabyte "reason".

use super::AppError;

/// The most characters one such field may hold.
pub const MAX_TEXT_CHARS: usize = 500;

/// A required field, trimmed: refused when blank or longer than [`MAX_TEXT_CHARS`].
pub(crate) fn required(value: &str, field: &str, what: &str) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::Invalid(format!("缺少{what}（{field}）")));
    }
    bounded(v, field)
}

/// An optional field, trimmed; blank means absent.
pub(crate) fn optional(value: Option<&str>, field: &str) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => bounded(v, field).map(Some),
        None => Ok(None),
    }
}

fn bounded(v: &str, field: &str) -> Result<String, AppError> {
    let n = v.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(AppError::Invalid(format!("文字过长（{field}）：{n} 字，最多 {MAX_TEXT_CHARS} 字")));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_missing_and_long_text_is_refused() {
        assert_eq!(required("  恩施市政〔2024〕1号 ", "document", "批准文号").unwrap(), "恩施市政〔2024〕1号");
        assert!(required("  ", "document", "批准文号").is_err());
        assert_eq!(optional(Some(" "), "reason").unwrap(), None);
        assert!(optional(Some(&"理".repeat(MAX_TEXT_CHARS)), "reason").unwrap().is_some());
        let err = optional(Some(&"理".repeat(MAX_TEXT_CHARS + 1)), "reason").unwrap_err();
        assert!(err.to_string().contains("文字过长（reason）"), "{err}");
    }
}
