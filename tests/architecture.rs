//! The shape of the code, checked: no two modules import each other (directly or round a longer
//! loop), no source file past 500 lines, and `model/` and `io/` know nothing of egui, eframe or
//! walkers. Reads the sources as text; test modules (`#[cfg(test)]` at a file's end) are left out.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest source file, in lines.
const MAX_FILE_LINES: usize = 500;

/// One source file: its module path (`ui::map::grouping`; the crate root is ""), its code without
/// comments and tests, and its child modules.
struct SourceFile {
    path: PathBuf,
    module: String,
    code: String,
    lines: usize,
    children: Vec<String>,
}

fn source_files() -> Vec<SourceFile> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
                let relative = path.strip_prefix(&src).unwrap().with_extension("");
                let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines = text.lines().count();
                let code = code_without_comments_and_tests(&text);
                let children = code
                    .lines()
                    .filter_map(|line| {
                        let line = line.trim().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
                        let name = line.strip_prefix("mod ")?.strip_suffix(';')?;
                        Some(name.to_owned())
                    })
                    .collect();
                files.push(SourceFile { path, module: parts.join("::"), code, lines, children });
            }
        }
    }
    files
}

/// The code of a file before its `#[cfg(test)]` module, with `//` comments removed.
fn code_without_comments_and_tests(text: &str) -> String {
    let before_tests = text.split("\n#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .map(|line| match line.find("//") {
            // Not inside a string: good enough for this code base, which has no "//" in strings.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
        // Visibility is not a use of the parent module.
        .replace("pub(super)", "pub")
        .replace("pub(crate)", "pub")
}

/// The module a path such as `crate::ui::map::Foo` refers to: its longest prefix that is a module.
fn resolve(segments: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    (0..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|candidate| modules.contains(candidate))
}

/// Every module each module refers to (`crate::…`, `super::…`, `self::…` and child modules by name).
fn dependencies(files: &[SourceFile]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.iter().map(|f| f.module.clone()).collect();
    let mut graph = BTreeMap::new();
    for file in files {
        let own: Vec<&str> = if file.module.is_empty() { vec![] } else { file.module.split("::").collect() };
        // `use crate::ui::{self, …}` makes `ui::…` name that module.
        let aliases: BTreeMap<&str, Vec<&str>> = file
            .code
            .lines()
            .filter_map(|line| {
                let rest = line.trim().trim_start_matches("pub ").strip_prefix("use crate::")?;
                let (path, list) = rest.split_once("::{")?;
                list.split([',', '}']).any(|item| item.trim() == "self").then(|| {
                    let segments: Vec<&str> = path.split("::").collect();
                    (*segments.last().unwrap(), segments)
                })
            })
            .collect();
        let mut targets = BTreeSet::new();
        let mut paths: Vec<Vec<&str>> = Vec::new();
        // Paths are runs of identifiers joined by `::`; a `{…}` list after one adds a path per item.
        let bytes = file.code.as_bytes();
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut at = 0;
        while at < bytes.len() {
            if !is_ident(bytes[at]) || (at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':')) {
                at += 1;
                continue;
            }
            let mut end = at;
            while end < bytes.len() && (is_ident(bytes[end]) || bytes[end] == b':') {
                end += 1;
            }
            let text = &file.code[at..end];
            let path: Vec<&str> = text.split("::").filter(|s| !s.is_empty()).collect();
            at = end;
            // `use super::{places, sources}`: each item of the list is a path of its own.
            if text.ends_with("::") && bytes.get(end) == Some(&b'{') {
                let list_end = file.code[end..].find('}').map_or(file.code.len(), |i| end + i);
                for item in file.code[end + 1..list_end].split(',') {
                    let first = item.trim().split("::").next().unwrap_or_default();
                    if !first.is_empty() && first != "self" && first.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        let mut full = path.clone();
                        full.push(first);
                        paths.push(full);
                    }
                }
                if !file.code[end + 1..list_end].split(',').any(|item| item.trim() == "self") {
                    continue;
                }
            }
            paths.push(path);
        }
        for path in paths {
            let absolute: Option<Vec<&str>> = match path.first().copied() {
                Some("crate") => Some(path[1..].to_vec()),
                Some("super") => {
                    let ups = path.iter().take_while(|s| **s == "super").count();
                    own.len()
                        .checked_sub(ups)
                        .map(|base| own[..base].iter().copied().chain(path[ups..].iter().copied()).collect())
                }
                Some("self") => Some(own.iter().copied().chain(path[1..].iter().copied()).collect()),
                Some(first) if path.len() > 1 && file.children.iter().any(|c| c == first) => {
                    Some(own.iter().copied().chain(path.iter().copied()).collect())
                }
                Some(first) if path.len() > 1 && aliases.contains_key(first) => {
                    Some(aliases[first].iter().copied().chain(path[1..].iter().copied()).collect())
                }
                _ => None,
            };
            if let Some(target) = absolute.and_then(|segments| resolve(&segments, &modules))
                && target != file.module
            {
                targets.insert(target);
            }
        }
        graph.insert(file.module.clone(), targets);
    }
    graph
}

/// A loop in the graph, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[start..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = dependencies(&source_files());
    assert!(graph.len() > 40, "the sources were found: {} modules", graph.len());
    // The checker sees real edges: the app uses the panels, a panel uses the model.
    assert!(graph["app"].contains("ui::map"), "{:?}", graph["app"]);
    assert!(graph["ui::map::grouping"].contains("model"), "{:?}", graph["ui::map::grouping"]);
    if let Some(cycle) = find_cycle(&graph) {
        panic!("modules import each other: {}", cycle.join(" → "));
    }
}

#[test]
fn the_checker_finds_a_loop_when_there_is_one() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.insert("c".to_owned(), BTreeSet::new());
    assert!(find_cycle(&graph).is_none());
}

#[test]
fn no_source_file_is_longer_than_500_lines() {
    let long: Vec<String> = source_files()
        .iter()
        .filter(|f| f.lines > MAX_FILE_LINES)
        .map(|f| format!("{} ({} lines)", f.path.display(), f.lines))
        .collect();
    assert!(long.is_empty(), "split these into folders of smaller files: {long:?}");
}

#[test]
fn the_model_and_io_know_nothing_of_the_ui() {
    for file in source_files().iter().filter(|f| f.module.starts_with("model") || f.module.starts_with("io")) {
        for ui_crate in ["egui", "eframe", "walkers"] {
            assert!(
                !file.code.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == ui_crate),
                "{} uses {ui_crate}",
                file.path.display()
            );
        }
    }
}
