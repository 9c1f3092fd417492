//! ClickHouse servers of the tests' own: each in a temporary folder, on free loopback ports,
//! stopped when dropped (also when a test fails).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server.
pub struct Server {
    child: Child,
    /// Its HTTP port.
    pub http_port: u16,
    /// Its native (TCP) port, which `Distributed` tables use between servers.
    pub tcp_port: u16,
    /// Its folder (removed when dropped).
    _dir: tempfile::TempDir,
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The `clickhouse-server` program: on PATH, or where Debian's package puts it.
fn program() -> PathBuf {
    for candidate in ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    let found = Command::new("sh").args(["-c", "command -v clickhouse-server"]).output().unwrap();
    let path = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    assert!(
        !path.is_empty(),
        "these tests need clickhouse-server (apt-get install clickhouse-server; .ci/run installs it)"
    );
    path.into()
}

impl Server {
    /// Starts a server; `cluster` is the `<remote_servers>` section, if any.
    pub fn start(cluster: &str) -> Self {
        Self::start_on(free_port(), free_port(), cluster)
    }

    /// Starts a server on the given ports.
    pub fn start_on(http_port: u16, tcp_port: u16, cluster: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        let users = "<yandex><profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>\
            <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>\
            <profile>default</profile><quota>default</quota></default></users>\
            <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>\
            <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas></yandex>";
        std::fs::write(dir.path().join("users.xml"), users).unwrap();
        let config = format!(
            "<yandex><logger><level>error</level><console>1</console></logger>\
             <http_port>{http_port}</http_port><tcp_port>{tcp_port}</tcp_port><listen_host>127.0.0.1</listen_host>\
             <path>{root}/data/</path><tmp_path>{root}/tmp/</tmp_path><user_files_path>{root}/files/</user_files_path>\
             <format_schema_path>{root}/schemas/</format_schema_path><users_config>{root}/users.xml</users_config>\
             <default_profile>default</default_profile><default_database>default</default_database>\
             <mark_cache_size>268435456</mark_cache_size>{cluster}</yandex>"
        );
        std::fs::write(dir.path().join("config.xml"), config).unwrap();
        let child = Command::new(program())
            .arg(format!("--config-file={root}/config.xml"))
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Self { child, http_port, tcp_port, _dir: dir };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
        loop {
            let answer = client.get(format!("http://127.0.0.1:{}/?query=SELECT%201", self.http_port)).send();
            if answer.is_ok_and(|a| a.status().is_success()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("clickhouse-server exited at start: {status}");
            }
            assert!(started.elapsed() < Duration::from_mins(1), "clickhouse-server did not answer in a minute");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The address of `table` in the default database.
    pub fn url(&self, table: &str) -> String {
        format!("clickhouse://127.0.0.1:{}/default?table={table}", self.http_port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The `<remote_servers>` section of a cluster `kronika_two` with one shard per TCP port.
pub fn two_shards(tcp_ports: [u16; 2]) -> String {
    let mut shards = String::new();
    for port in tcp_ports {
        shards.push_str(&format!("<shard><replica><host>127.0.0.1</host><port>{port}</port></replica></shard>"));
    }
    format!("<remote_servers><kronika_two>{shards}</kronika_two></remote_servers>")
}
