//! Domain keys (SPEC.md "Keys") and the free-mail providers.

use super::{clean_text, lowercase};
use std::borrow::Cow;

/// Key -> domain per SPEC.md "Keys": trim, lowercase, drop the scheme (only
/// `http`/`https`), drop the user part (what precedes the LAST '@' before any
/// '/', '?' or '#'), one leading "www.", anything from the first '/', '?',
/// '#' or ':', and one trailing dot. None when empty or no dot is left.
///
/// Beyond SPEC: white space left at either end by a cut (`http:// acme.com`,
/// `acme.com /x`, `jane@ acme.com`) is trimmed too, since a domain never starts or ends with
/// a space; this also makes the function idempotent, except for results that
/// still start with `www.` or end with `.` (SPEC drops only one of each).
pub fn normalize_domain(raw: &str) -> Option<String> {
    domain_of(raw).map(Cow::into_owned)
}

/// [`normalize_domain`] without a copy when the key is already lower-case:
/// the domain is then a slice of the cell (the common case in exports).
pub fn domain_of(raw: &str) -> Option<Cow<'_, str>> {
    match lowercase(clean_text(raw)?) {
        Cow::Borrowed(cleaned) => strip_to_domain(cleaned).map(Cow::Borrowed),
        Cow::Owned(lower) => strip_to_domain(&lower).map(|d| Cow::Owned(d.to_string())),
    }
}

/// The domain inside a lower-case key.
fn strip_to_domain(s: &str) -> Option<&str> {
    // Most keys are a bare domain: nothing to cut but a `www.` or a
    // trailing dot. One pass without an early exit (vectorised, as in
    // `lowercase`) tells whether there is more to cut, and whether there
    // is a dot at all.
    let (mut cut, mut dot) = (false, false);
    for b in s.bytes() {
        cut |= matches!(b, b'/' | b'?' | b'#' | b':' | b'@');
        dot |= b == b'.';
    }
    if cut {
        return cut_to_domain(s);
    }
    if !dot {
        return None;
    }
    let mut domain = s;
    if let Some(rest) = domain.strip_prefix("www.") {
        domain = rest.trim();
    }
    if let Some(rest) = domain.strip_suffix('.') {
        domain = rest.trim();
    }
    // Nothing stripped: the key is the domain, dot and all.
    if domain.len() == s.len() {
        return Some(domain);
    }
    (!domain.is_empty() && domain.contains('.')).then_some(domain)
}

/// [`strip_to_domain`] for keys with a scheme, user, path or port to cut.
fn cut_to_domain(mut s: &str) -> Option<&str> {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.trim();
            break;
        }
    }
    // Byte searches: every character looked for is ASCII.
    let path = |s: &str| memchr::memchr3(b'/', b'?', b'#', s.as_bytes());
    let path_start = path(s).unwrap_or(s.len());
    if let Some(at) = memchr::memrchr(b'@', &s.as_bytes()[..path_start]) {
        s = s[at + 1..].trim();
    }
    if let Some(rest) = s.strip_prefix("www.") {
        s = rest.trim();
    }
    let port = memchr::memchr(b':', s.as_bytes());
    if let Some(cut) = path(s).into_iter().chain(port).min() {
        s = s[..cut].trim();
    }
    if let Some(rest) = s.strip_suffix('.') {
        s = rest.trim();
    }
    (!s.is_empty() && s.contains('.')).then_some(s)
}

/// The free-mail providers SPEC.md lists, as exact domains. `yahoo.*` and
/// `gmx.*` are matched by rule in [`is_free_mail`].
///
/// Deliberately exactly SPEC's list: providers such as web.de, ymail.com,
/// mail.com or zoho.com are not added, because the list decides which
/// engagement rows are dropped and must match the contract.
pub const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "ig.com.br",
];

/// Whether an (already normalised) domain is a free-mail provider of SPEC.md:
/// the exact list, `yahoo.com` and its country variants (`yahoo.fr`,
/// `yahoo.co.uk`, `yahoo.com.br`), and `gmx.` with any top-level domain
/// (`gmx.de`, `gmx.net`, `gmx.co.uk`).
pub fn is_free_mail(domain: &str) -> bool {
    let lowered;
    let d = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        lowered = domain.to_ascii_lowercase();
        lowered.as_str()
    } else {
        domain
    };
    static LISTED: std::sync::LazyLock<std::collections::HashSet<&str>> =
        std::sync::LazyLock::new(|| FREE_MAIL.iter().copied().collect());
    if LISTED.contains(d) {
        return true;
    }
    if let Some(rest) = d.strip_prefix("yahoo.") {
        return rest == "com" || is_country_suffix(rest);
    }
    if let Some(rest) = d.strip_prefix("gmx.") {
        let is_tld = rest.len() >= 2 && rest.bytes().all(|b| b.is_ascii_lowercase());
        return is_tld || is_country_suffix(rest);
    }
    false
}

/// `fr`, `co.uk`, `com.br`: a country code, alone or under `co.`/`com.`.
fn is_country_suffix(rest: &str) -> bool {
    let cc = rest
        .strip_prefix("co.")
        .or_else(|| rest.strip_prefix("com."))
        .unwrap_or(rest);
    cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalize_domain_table() {
        let cases = [
            ("https://www.Acme.com/", Some("acme.com")),
            ("http://acme.com", Some("acme.com")),
            ("www.acme.com", Some("acme.com")),
            ("acme.com", Some("acme.com")),
            ("ACME.COM", Some("acme.com")),
            (" https://acme.com/about-us ", Some("acme.com")),
            ("https://acme.com:443/?utm_source=crm", Some("acme.com")),
            ("acme.com.", Some("acme.com")),
            ("http://www.acme.com/index.html#top", Some("acme.com")),
            ("jane.doe@Acme.COM", Some("acme.com")),
            ("mailto:jane@acme.com", Some("acme.com")),
            ("ftp://acme.com", None),
            ("www.www.acme.com", Some("www.acme.com")),
            ("localhost", None),
            ("", None),
            ("   ", None),
            ("a@b@acme.com", Some("acme.com")),
            ("acme.com/path@x", Some("acme.com")),
            ("HTTPS://WWW.ACME.CO.UK", Some("acme.co.uk")),
            ("münchen.de", Some("münchen.de")),
            ("MÜNCHEN.DE", Some("münchen.de")),
            ("https://user:pass@acme.com/x", Some("acme.com")),
            ("acme.com?ref=1", Some("acme.com")),
            ("acme.com#x", Some("acme.com")),
            ("acme.com:8080", Some("acme.com")),
            ("https://", None),
            ("www.", None),
            ("jane@", None),
            ("@acme.com", Some("acme.com")),
            ("sub.acme.com", Some("sub.acme.com")),
            ("https://www.acme.com./", Some("acme.com")),
            ("\u{a0}jane@acme.com\u{a0}", Some("acme.com")),
            ("Jane Doe <jane@acme.com>", Some("acme.com>")),
            ("acme.com /x", Some("acme.com")),
            ("jane@ acme.com", Some("acme.com")),
            ("http:// acme.com", Some("acme.com")),
            ("https:acme.com", None),
            ("acme", None),
            ("acme.com..", Some("acme.com.")),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_domain(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn free_mail_table() {
        let yes = [
            "gmail.com",
            "googlemail.com",
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "yahoo.com",
            "yahoo.co.uk",
            "yahoo.com.br",
            "yahoo.fr",
            "yahoo.co.jp",
            "yahoo.de",
            "icloud.com",
            "me.com",
            "aol.com",
            "proton.me",
            "protonmail.com",
            "gmx.de",
            "gmx.net",
            "gmx.com",
            "gmx.at",
            "gmx.co.uk",
            "mail.ru",
            "yandex.ru",
            "qq.com",
            "163.com",
            "126.com",
            "sina.com",
            "uol.com.br",
            "bol.com.br",
            "terra.com.br",
            "ig.com.br",
            "GMAIL.COM",
        ];
        for d in yes {
            assert!(is_free_mail(d), "{d}");
        }
        let no = [
            "acme.com",
            "web.de",
            "ymail.com",
            "mail.com",
            "zoho.com",
            "gmail.co",
            "mygmail.com",
            "gmail.com.evil.io",
            "yahoo.net",
            "yahoo.acme.com",
            "gmx.acme.com",
            "gmx",
            "yahoo",
            "hotmail.co.uk",
            "sina.com.cn",
            "",
        ];
        for d in no {
            assert!(!is_free_mail(d), "{d}");
        }
    }

    proptest! {
        #[test]
        fn normalize_domain_is_idempotent(s in "\\PC*") {
            check_idempotent(&s)?;
        }

        #[test]
        fn normalize_domain_is_idempotent_on_url_like(
            s in "[ \u{a0}]?(https?://|HTTP://|ftp://|mailto:)?([a-z.]{0,4}@)?(www\\.){0,2}[a-zA-Zé0-9.\\- ]{0,12}(\\.|/|:|\\?|#|@)?[a-z0-9./:@?# ]{0,8}"
        ) {
            check_idempotent(&s)?;
        }

        #[test]
        fn bare_domain_path_agrees_with_the_cutting_path(
            s in "(www\\.){0,2}[a-z0-9.\\- ]{0,12}(\\.|/|:|\\?|#|@)?[a-z0-9./:@?# ]{0,8}"
        ) {
            prop_assert_eq!(strip_to_domain(&s), cut_to_domain(&s));
        }
    }

    /// SPEC drops only one `www.` and one trailing dot, so results that still
    /// have one change again; every other result is a fixed point.
    fn check_idempotent(s: &str) -> Result<(), TestCaseError> {
        if let Some(d) = normalize_domain(s) {
            if !d.starts_with("www.") && !d.ends_with('.') {
                prop_assert_eq!(normalize_domain(&d), Some(d.clone()), "from {:?}", s);
            }
        }
        Ok(())
    }
}
