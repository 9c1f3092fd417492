//! What can go wrong with ClickHouse.

/// What went wrong talking to ClickHouse.
#[derive(Debug, thiserror::Error)]
pub enum ClickHouseError {
    /// The address is not one.
    #[error("not a ClickHouse address: {0}")]
    Url(String),
    /// The server could not be reached or did not answer in time.
    #[error("ClickHouse at {at} cannot be reached: {message}")]
    Unreachable {
        /// The server.
        at: String,
        /// What happened.
        message: String,
    },
    /// The server refused the query.
    #[error("ClickHouse at {at} refused the query: {message}")]
    Refused {
        /// The server.
        at: String,
        /// Its message, first line.
        message: String,
    },
    /// The answer was not what Kronika asked for.
    #[error("ClickHouse at {at} gave an answer Kronika cannot read: {message}")]
    Unreadable {
        /// The server.
        at: String,
        /// What is wrong.
        message: String,
    },
}
