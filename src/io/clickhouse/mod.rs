//! Events that live in ClickHouse: the address (`clickhouse://host:8123/db?table=events`), a small
//! HTTP client, the table Kronika expects, loading any file Kronika reads into it, and the
//! [`EventStore`](crate::model::store::EventStore) that asks it with SQL.
//!
//! The SQL is what ClickHouse 18.16 (Debian's package) and current releases both accept.

mod client;
mod error;
mod load;
mod schema;
mod store;
mod url;

pub use self::client::Client;
pub use self::error::ClickHouseError;
pub use self::load::{BATCH_ROWS, LoadProgress, LoadSummary, load_into};
pub use self::schema::{
    COLUMNS, ColumnMap, MERGE_TREE, READY_CELLS_ZOOMS, create_day_counts_sql, create_ready_cells_sql, create_table_sql,
    day_counts_table, ready_cells_table,
};
pub use self::store::ClickHouseStore;
pub use self::url::{ClickHouseUrl, is_clickhouse_url};
