//! Finding the features of a large FeatureCollection without parsing them.
//!
//! Parsing a file into raw features with serde visits every byte once on one thread before the
//! features can be parsed in parallel. [`split_features`] does the same job about three times
//! faster: it only looks for the braces, quotes and commas that separate the elements of the
//! `features` array, 64 bytes at a time ([`super::elements`]). It is the fast path for well-formed files
//! and nothing more: whenever the text is not plainly of that shape it returns `None`, and the
//! caller parses with serde, which explains what is wrong. Each feature it returns is still parsed
//! by serde, and a feature that is not valid JSON sends the caller back to the slow path too.

use super::elements::{ElementsEnd, scan_elements_on_all_cores};

/// What [`split_features`] found.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitCollection<'a> {
    /// The file with its `features` array emptied, for serde to check and read the other members.
    pub skeleton: String,
    /// The text of each element of the `features` array, in file order.
    pub features: Vec<&'a str>,
}

/// Splits `text`, a JSON object with a `features` array of objects, into the array's elements.
/// `None` when the text is anything else, or when in doubt.
pub fn split_features(text: &str) -> Option<SplitCollection<'_>> {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.skip_whitespace();
    scanner.expect(b'{')?;
    let mut features: Option<(usize, usize, Vec<&str>)> = None;
    // The members of the top-level object; only the `features` key is looked at closely.
    loop {
        scanner.skip_whitespace();
        match scanner.peek()? {
            b'}' => break,
            b'"' => {}
            _ => return None,
        }
        if scanner.member_key()? == b"\"features\"" {
            if features.is_some() || scanner.peek()? != b'[' {
                return None;
            }
            let array_start = scanner.at;
            let elements = scanner.array_of_objects(text)?;
            features = Some((array_start, scanner.at, elements));
        } else {
            scanner.skip_value()?;
        }
        scanner.skip_whitespace();
        match scanner.peek()? {
            b',' => scanner.at += 1,
            b'}' => break,
            _ => return None,
        }
    }
    let (array_start, array_end, features) = features?;
    let mut skeleton = String::with_capacity(text.len() - (array_end - array_start) + 2);
    skeleton.push_str(text.get(..array_start)?);
    skeleton.push_str("[]");
    skeleton.push_str(text.get(array_end..)?);
    Some(SplitCollection { skeleton, features })
}

/// Where the `features` array of a collection's start `text` opens (its `[`) and where its first
/// element (an object) starts, when every member before it is whole in `text`. `None` when the
/// text is anything else, the array is empty, or in doubt.
pub(super) fn features_array_start(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.skip_whitespace();
    scanner.expect(b'{')?;
    loop {
        scanner.skip_whitespace();
        if scanner.peek()? != b'"' {
            return None;
        }
        if scanner.member_key()? == b"\"features\"" {
            let array_start = scanner.at;
            scanner.expect(b'[')?;
            scanner.skip_whitespace();
            return (scanner.peek()? == b'{').then_some((array_start, scanner.at));
        }
        scanner.skip_value()?;
        // A scalar cut by the end of `text` is not known to be whole.
        if scanner.at >= bytes.len() {
            return None;
        }
        scanner.skip_whitespace();
        scanner.expect(b',')?;
    }
}

/// A cursor over the bytes of a JSON text (also the direct feature reader's).
pub(super) struct Scanner<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Scanner<'a> {
    /// An object member's key (with its quotes), the cursor left at its value.
    fn member_key(&mut self) -> Option<&'a [u8]> {
        let key_start = self.at;
        self.skip_string()?;
        let key = self.bytes.get(key_start..self.at)?;
        self.skip_whitespace();
        self.expect(b':')?;
        self.skip_whitespace();
        Some(key)
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    pub(super) fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    pub(super) fn skip_whitespace(&mut self) {
        super::elements::skip_whitespace(self.bytes, &mut self.at);
    }

    /// Skips a string starting at its opening quote, to just past its closing quote.
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            let rest = self.bytes.get(self.at..)?;
            let found = memchr::memchr2(b'"', b'\\', rest)?;
            self.at += found + 1;
            if rest.get(found) == Some(&b'"') {
                return Some(());
            }
            // A backslash escapes the next byte, which may be a quote.
            self.at += 1;
        }
    }

    /// Skips an object or array by counting brackets of its kind outside strings, or a scalar up
    /// to the next delimiter. Whether what it skipped is valid JSON is for serde to say.
    pub(super) fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.skip_nested(b'{', b'}'),
            b'[' => self.skip_nested(b'[', b']'),
            b'"' => self.skip_string(),
            _ => {
                let rest = self.bytes.get(self.at..)?;
                let length = rest.iter().position(|b| matches!(b, b',' | b'}' | b']')).unwrap_or(rest.len());
                self.at += length;
                Some(())
            }
        }
    }

    fn skip_nested(&mut self, open: u8, close: u8) -> Option<()> {
        let mut depth = 0_usize;
        loop {
            let rest = self.bytes.get(self.at..)?;
            let found = memchr::memchr3(b'"', open, close, rest)?;
            self.at += found;
            match rest.get(found)? {
                b'"' => self.skip_string()?,
                &byte if byte == open => {
                    depth += 1;
                    self.at += 1;
                }
                _ => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
        }
    }

    /// Splits an array whose elements are all objects, leaving the cursor past its `]` (a
    /// large array on all cores).
    fn array_of_objects<'t>(&mut self, text: &'t str) -> Option<Vec<&'t str>> {
        self.expect(b'[')?;
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Vec::new());
        }
        let (elements, ElementsEnd::Closed(end)) = scan_elements_on_all_cores(text, self.at)? else { return None };
        self.at = end;
        Some(elements.texts)
    }
}

#[cfg(test)]
mod tests;
