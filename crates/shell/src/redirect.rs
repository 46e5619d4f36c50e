//! Where the portal sends a visitor back to after a step (`?back=`, `?next=`): only a path on
//! this portal. Browsers drop tabs and line breaks inside a URL and read `\` as `/`, so
//! `/\t/other.example` or `/\other.example` would leave the site; such a target is refused.

/// `target` when it is a path on this portal under `within` (`/` or `/staff/`), else None.
pub fn local<'a>(target: &'a str, within: &str) -> Option<&'a str> {
    let plain = !target.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    (plain && target.starts_with(within) && !target.starts_with("//")).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn only_a_path_on_this_portal() {
        assert_eq!(local("/o/x/?a=1", "/"), Some("/o/x/?a=1"));
        assert_eq!(local("/staff/o/x/", "/staff/"), Some("/staff/o/x/"));
        for bad in
            ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example", " /x"]
        {
            assert_eq!(local(bad, "/"), None, "{bad:?}");
        }
        assert_eq!(local("/o/x/", "/staff/"), None);
    }
}
