//! Which form the caller asked for, by `Accept`: the PDF unless JSON is preferred; 406 when neither is
//! acceptable.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Pdf,
    Json,
}

/// The most preferred acceptable form (by `q`, then by order); no header, or `*/*`, is the PDF.
pub fn negotiate(header: Option<&str>) -> Option<Form> {
    let Some(header) = header.filter(|h| !h.trim().is_empty()) else { return Some(Form::Pdf) };
    let mut best: Option<(f32, Form)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q =
            parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
        let form = match media.as_str() {
            "application/pdf" | "application/*" | "*/*" => Form::Pdf,
            "application/json" => Form::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, form));
        }
    }
    best.map(|(_, form)| form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_by_default_json_when_preferred_none_when_neither() {
        assert_eq!(negotiate(None), Some(Form::Pdf));
        assert_eq!(negotiate(Some("*/*")), Some(Form::Pdf));
        assert_eq!(negotiate(Some("application/json")), Some(Form::Json));
        assert_eq!(negotiate(Some("application/pdf;q=0.5, application/json")), Some(Form::Json));
        assert_eq!(negotiate(Some("application/json;q=0.2, application/pdf;q=0.9")), Some(Form::Pdf));
        assert_eq!(negotiate(Some("text/html")), None);
        assert_eq!(negotiate(Some("application/pdf;q=0")), None);
    }
}
