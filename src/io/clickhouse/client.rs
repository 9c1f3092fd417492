//! ClickHouse's HTTP interface: a query in, rows of JSON out; binary rows in for inserts. Every
//! request has a deadline, and the server is told the same, so a slow query ends on both sides.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::ClickHouseError;
use super::url::ClickHouseUrl;

/// Longest a query may run, on the server and for the client.
const QUERY_SECS: u64 = 60;
/// Longest an insert may take.
const INSERT_SECS: u64 = 600;

/// A connection to one table's server.
#[derive(Clone, Debug)]
pub struct Client {
    url: ClickHouseUrl,
    http: reqwest::blocking::Client,
}

impl Client {
    /// A client for `url`.
    ///
    /// # Errors
    /// When no HTTP client can be made.
    pub fn new(url: ClickHouseUrl) -> Result<Self, ClickHouseError> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("Kronika/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|error| ClickHouseError::Unreachable { at: url.display(), message: error.to_string() })?;
        Ok(Self { url, http })
    }

    /// Where it connects.
    pub fn url(&self) -> &ClickHouseUrl {
        &self.url
    }

    fn request(&self, query: &str, secs: u64, settings: &[(&str, &str)]) -> reqwest::blocking::RequestBuilder {
        let secs_text = secs.to_string();
        let mut params = vec![
            ("database", self.url.database.as_str()),
            ("max_execution_time", secs_text.as_str()),
            ("query", query),
        ];
        params.extend_from_slice(settings);
        let query_string: Vec<String> =
            params.iter().map(|(key, value)| format!("{key}={}", percent_encode(value))).collect();
        self.http
            .post(format!("{}?{}", self.url.endpoint(), query_string.join("&")))
            .basic_auth(&self.url.user, Some(&self.url.password))
            .timeout(Duration::from_secs(secs + 5))
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Result<String, ClickHouseError> {
        let at = self.url.display();
        let response = request
            .send()
            .map_err(|error| ClickHouseError::Unreachable { at: at.clone(), message: causes(&error.without_url()) })?;
        let status = response.status();
        let text = response
            .text()
            .map_err(|error| ClickHouseError::Unreachable { at: at.clone(), message: causes(&error.without_url()) })?;
        if !status.is_success() {
            let message = text.lines().next().unwrap_or_default().chars().take(400).collect();
            return Err(ClickHouseError::Refused { at, message });
        }
        Ok(text)
    }

    /// Runs a statement that returns nothing (CREATE, ALTER …).
    ///
    /// # Errors
    /// When the server cannot be reached or refuses it.
    pub fn execute(&self, statement: &str) -> Result<(), ClickHouseError> {
        self.send(self.request("", QUERY_SECS, &[]).body(statement.to_owned())).map(|_| ())
    }

    /// Runs a query and reads its rows (`FORMAT JSONEachRow` is added).
    ///
    /// # Errors
    /// When the server cannot be reached, refuses the query, or answers otherwise than asked.
    pub fn rows<T: DeserializeOwned>(&self, query: &str) -> Result<Vec<T>, ClickHouseError> {
        self.rows_as(query, None)
    }

    /// As [`Self::rows`], under a query id that [`Self::kill`] can cancel.
    ///
    /// # Errors
    /// As [`Self::rows`]; a cancelled query is refused.
    pub fn rows_as<T: DeserializeOwned>(&self, query: &str, query_id: Option<&str>) -> Result<Vec<T>, ClickHouseError> {
        let settings: Vec<(&str, &str)> = query_id.map(|id| ("query_id", id)).into_iter().collect();
        let request = self.request("", QUERY_SECS, &settings).body(format!("{query} FORMAT JSONEachRow"));
        let text = self.send(request)?;
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                serde_json::from_str(line).map_err(|error| ClickHouseError::Unreadable {
                    at: self.url.display(),
                    message: format!("{error} in {}", line.chars().take(200).collect::<String>()),
                })
            })
            .collect()
    }

    /// Cancels the running queries whose id starts with `prefix` (they end with an error).
    ///
    /// # Errors
    /// When the server cannot be reached or refuses.
    pub fn kill(&self, prefix: &str) -> Result<(), ClickHouseError> {
        let pattern = format!("{prefix}%");
        self.execute(&format!("KILL QUERY WHERE query_id LIKE {} ASYNC", literal(&pattern)))
    }

    /// Inserts rows already written in `RowBinary` for `columns` of the table.
    ///
    /// # Errors
    /// When the server cannot be reached or refuses the rows.
    pub fn insert_row_binary(
        &self,
        columns: &str,
        rows: Vec<u8>,
        settings: &[(&str, &str)],
    ) -> Result<(), ClickHouseError> {
        let query = format!("INSERT INTO {} ({columns}) FORMAT RowBinary", self.url.qualified_table());
        let request = self.request(&query, INSERT_SECS, settings).body(rows);
        self.send(request).map(|_| ())
    }
}

/// An error and its causes, in one line ("error sending request: … : Connection refused").
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A URL query value: unreserved characters as they are, every other byte as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A string as a ClickHouse literal: quoted, with `\` and `'` escaped.
pub(super) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Reads a number that ClickHouse may quote (64-bit integers are strings in its JSON).
pub(super) mod number {
    use serde::Deserialize;

    /// A number, or a string holding one.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either<T> {
        Number(T),
        Text(String),
    }

    fn quoted_or_not<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
        T: Deserialize<'de> + std::str::FromStr<Err = std::num::ParseIntError>,
    {
        match Either::<T>::deserialize(deserializer)? {
            Either::Number(n) => Ok(n),
            Either::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }

    /// A count, quoted or not.
    ///
    /// # Errors
    /// When it is neither.
    pub fn u64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        quoted_or_not(deserializer)
    }

    /// A signed number, quoted or not.
    ///
    /// # Errors
    /// When it is neither.
    pub fn i64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        quoted_or_not(deserializer)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn literals_cannot_end_early() {
        assert_eq!(super::literal(r"it's a \ test"), r"'it\'s a \\ test'");
    }
}
