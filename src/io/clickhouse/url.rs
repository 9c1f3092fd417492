//! `clickhouse://[user[:password]@]host[:port]/database?table=events[&secure=1]`, with the user
//! and password also taken from `CLICKHOUSE_USER` / `CLICKHOUSE_PASSWORD`.

use super::error::ClickHouseError;

/// The default HTTP port of ClickHouse.
const DEFAULT_PORT: u16 = 8123;

/// Where a ClickHouse table is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClickHouseUrl {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The server's host name or address.
    pub host: String,
    /// Its HTTP port.
    pub port: u16,
    /// The database.
    pub database: String,
    /// The table.
    pub table: String,
    /// Who connects.
    pub user: String,
    /// Their password.
    pub password: String,
}

/// True when `text` names a ClickHouse table rather than a file.
pub fn is_clickhouse_url(text: &str) -> bool {
    text.starts_with("clickhouse://") || text.starts_with("clickhouses://")
}

/// Decodes `%XX` escapes.
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if let (b'%', Some(decoded)) = (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            out.push(decoded);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Database and table names Kronika puts into SQL: letters, digits and `_`, not starting with a digit.
pub(super) fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

impl ClickHouseUrl {
    /// Reads an address.
    ///
    /// # Errors
    /// [`ClickHouseError::Url`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, ClickHouseError> {
        let bad = |why: &str| ClickHouseError::Url(format!("{text:?}: {why}"));
        let (mut scheme, rest) = if let Some(rest) = text.strip_prefix("clickhouses://") {
            ("https", rest)
        } else if let Some(rest) = text.strip_prefix("clickhouse://") {
            ("http", rest)
        } else {
            return Err(bad("expected clickhouse://host:port/database?table=name"));
        };
        let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, database) = address.split_once('/').unwrap_or((address, "default"));
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((credentials, host_port)) => (Some(credentials), host_port),
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| bad("the port is not a number"))?),
            None => (host_port, DEFAULT_PORT),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let database = if database.is_empty() { "default".to_owned() } else { unescape(database) };
        let mut table = "events".to_owned();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "table" => table = unescape(value),
                "secure" | "https" => {
                    if matches!(value, "1" | "true" | "yes") {
                        scheme = "https";
                    }
                }
                other => return Err(bad(&format!("unknown option {other:?} (table, secure)"))),
            }
        }
        if !is_identifier(&database) || !is_identifier(&table) {
            return Err(bad("database and table names are letters, digits and _"));
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (user, password) = match credentials {
            Some(credentials) => {
                let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
                (unescape(user), unescape(password))
            }
            None => (
                env("CLICKHOUSE_USER").unwrap_or_else(|| "default".into()),
                env("CLICKHOUSE_PASSWORD").unwrap_or_default(),
            ),
        };
        Ok(Self { scheme, host: host.to_owned(), port, database, table, user, password })
    }

    /// The HTTP endpoint.
    pub fn endpoint(&self) -> String {
        format!("{}://{}:{}/", self.scheme, self.host, self.port)
    }

    /// `database.table`, for SQL.
    pub fn qualified_table(&self) -> String {
        format!("{}.{}", self.database, self.table)
    }

    /// The address without the password, for messages.
    pub fn display(&self) -> String {
        format!("{}:{}/{}.{}", self.host, self.port, self.database, self.table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_with_their_defaults() {
        let url = ClickHouseUrl::parse("clickhouse://reader:p%40ss@db.example:9123/conflict?table=acled").unwrap();
        assert_eq!(url.endpoint(), "http://db.example:9123/");
        assert_eq!((url.user.as_str(), url.password.as_str()), ("reader", "p@ss"));
        assert_eq!(url.qualified_table(), "conflict.acled");
        let url = ClickHouseUrl::parse("clickhouses://localhost").unwrap();
        assert_eq!(
            (url.endpoint().as_str(), url.qualified_table().as_str()),
            ("https://localhost:8123/", "default.events")
        );
        assert!(ClickHouseUrl::parse("clickhouse://h/db?table=x;DROP").is_err());
        assert!(ClickHouseUrl::parse("clickhouse://h/db?tabel=x").is_err());
        assert!(ClickHouseUrl::parse("clickhouse://:1/db").is_err());
        assert!(ClickHouseUrl::parse("http://h/db").is_err());
    }
}
