//! The server's modules form layers (docs/ARCHITECTURE.md): a module may use the
//! modules below it, never one that uses it back. This test reads every file under
//! `server/src`, finds which modules it names (`use crate::…`, `super::…`,
//! `crate::…` paths), and fails on any cycle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("server/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` is `a::b`; `src/a/mod.rs` is `a`; `src/lib.rs` is the crate.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Module = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The code without comments and without unit-test modules (wherever they sit).
fn code_of(text: &str) -> String {
    let mut code: String = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    while let Some(at) = code.find("#[cfg(test)]\nmod ") {
        let Some(open) = code[at..].find('{').map(|o| at + o) else { break };
        let mut depth = 0;
        let mut end = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        code.replace_range(at..end, "");
    }
    code
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into its paths.
fn expand_use(tree: &str, prefix: &[String], out: &mut Vec<Module>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Module =
            tree[..open].split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut path = prefix.to_vec();
        path.extend(head);
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use(&inner[start..i], &path, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_use(&inner[start..], &path, out);
    } else if !tree.is_empty() {
        let mut path = prefix.to_vec();
        let tree = tree.split(" as ").next().unwrap_or(tree);
        path.extend(tree.split("::").map(str::trim).filter(|s| !s.is_empty() && *s != "self").map(String::from));
        out.push(path);
    }
}

/// The paths a file names, each as written (starting with `crate` or `super`).
fn named_paths(code: &str) -> Vec<Module> {
    let mut paths = Vec::new();
    // Use declarations, whole trees.
    for (at, _) in code.match_indices("use ") {
        let before = code[..at].chars().last();
        if before.is_some_and(is_ident) {
            continue;
        }
        let rest = &code[at + 4..];
        let tree = &rest[..rest.find(';').unwrap_or(rest.len())];
        if tree.starts_with("crate::") || tree.starts_with("super::") {
            expand_use(tree, &[], &mut paths);
        }
    }
    // Paths in expressions and types.
    for root in ["crate::", "super::"] {
        for (at, _) in code.match_indices(root) {
            if code[..at].chars().last().is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let path: String = code[at..].chars().take_while(|c| is_ident(*c) || *c == ':').collect();
            paths.push(path.split("::").filter(|s| !s.is_empty()).map(String::from).collect());
        }
    }
    paths
}

/// The module a path names: the longest prefix that is a module of the crate.
fn resolve(from: &Module, path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let mut base: Module = Vec::new();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => rest = &rest[1..],
        Some("super") => {
            base = from.clone();
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    (0..=base.len()).rev().map(|n| base[..n].to_vec()).find(|m| modules.contains(m))
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).expect("a source file is UTF-8"));
        let to: BTreeSet<Module> = named_paths(&code)
            .iter()
            .filter_map(|path| resolve(&from, path, &modules))
            // Naming itself is no edge, nor is naming the crate root (`lib.rs` only
            // declares the modules).
            .filter(|target| target != &from && !target.is_empty())
            .collect();
        edges.insert(from, to);
    }
    edges
}

/// Some cycle of the graph, as the modules along it, if there is one (depth-first search).
fn find_cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|m| m == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, marks, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if !marks.contains_key(node) {
            if let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn no_module_uses_a_module_that_uses_it_back() {
    let edges = graph();
    assert!(edges.len() > 50, "the server's modules were found ({})", edges.len());
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        panic!("import cycle: {}", names.join(" -> "));
    }
}

#[test]
fn the_reader_sees_use_trees_and_paths() {
    let code = "use crate::{db::TenantTx, time::{LogRow, log_rows::LogFilter}};\nuse super::x;\nfn f() { crate::clock::today(t); }";
    let paths: Vec<String> = named_paths(code).iter().map(|p| p.join("::")).collect();
    for expected in [
        "crate::db::TenantTx",
        "crate::time::LogRow",
        "crate::time::log_rows::LogFilter",
        "super::x",
        "crate::clock::today",
    ] {
        assert!(paths.contains(&expected.to_string()), "{expected} in {paths:?}");
    }
    let mut edges = BTreeMap::new();
    let (a, b): (Module, Module) = (vec!["a".into()], vec!["b".into()]);
    edges.insert(a.clone(), BTreeSet::from([b.clone()]));
    edges.insert(b.clone(), BTreeSet::new());
    assert!(find_cycle(&edges).is_none());
    edges.insert(b, BTreeSet::from([a]));
    assert!(find_cycle(&edges).is_some(), "a cycle of two is found");
}
