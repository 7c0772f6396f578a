//! `scripts/stack-check.py`, which `make pkg` runs on the shipped module to prove that its
//! 5 KB stack suffices, run here on small modules written as binaryen's text: it must find
//! the deepest chain of frames, and refuse a module whose stack has no bound it can prove.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs the check on `module`: whether it passed, and what it printed.
fn check(module: &str) -> (bool, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/stack-check.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(module.as_bytes())
        .expect("the module is written");
    let out = child.wait_with_output().expect("the check ends");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

/// A function `name` that takes a frame of `frame` bytes and calls `calls`.
fn func(name: &str, frame: u32, calls: &[&str]) -> String {
    let mut body = format!(
        " (func ${name}\n  (local $0 i32)\n  (global.set $global$0\n   (local.tee $0\n    (i32.sub\n     (global.get $global$0)\n     (i32.const {frame})\n    )\n   )\n  )\n"
    );
    for callee in calls {
        body += &format!("  (call ${callee})\n");
    }
    body + "  (global.set $global$0\n   (i32.add\n    (local.get $0)\n    (i32.const 0)\n   )\n  )\n )\n"
}

/// A module with a stack of `stack` bytes, exporting `h`, with `funcs`.
fn module(stack: u32, funcs: &[String]) -> String {
    format!(
        "(module\n (global $global$0 (mut i32) (i32.const {stack}))\n (export \"h\" (func $h))\n{})\n",
        funcs.concat()
    )
}

#[test]
fn the_deepest_chain_of_frames_is_the_bound() {
    // h (100) calls a (300) and b (50); b calls c (1000): the deepest is h, b, c.
    let text = module(
        5120,
        &[
            func("h", 100, &["a", "b"]),
            func("a", 300, &[]),
            func("b", 50, &["c"]),
            func("c", 1000, &[]),
        ],
    );
    let (passed, said) = check(&text);
    assert!(passed, "{said}");
    assert!(
        said.contains("at most 1150 B of the 5120 B stack"),
        "{said}"
    );
}

#[test]
fn a_chain_deeper_than_the_stack_above_its_lowest_kb_fails() {
    // 4100 B of frames: more than the 4096 B above the lowest KB of a 5120 B stack.
    let text = module(5120, &[func("h", 4000, &["a"]), func("a", 100, &[])]);
    let (passed, said) = check(&text);
    assert!(!passed, "{said}");
    assert!(said.contains("may need 4100 B but has 4096 B"), "{said}");
    let (passed, said) = check(&module(
        5124,
        &[func("h", 4000, &["a"]), func("a", 100, &[])],
    ));
    assert!(passed, "{said}");
}

#[test]
fn recursion_has_no_bound() {
    let text = module(
        5120,
        &[
            func("h", 16, &["a"]),
            func("a", 16, &["b"]),
            func("b", 16, &["a"]),
        ],
    );
    let (passed, said) = check(&text);
    assert!(!passed, "{said}");
    assert!(
        said.contains("cycle") && said.contains("$a -> $b -> $a"),
        "{said}"
    );
}

#[test]
fn an_indirect_call_may_reach_every_function_of_its_type_in_the_table() {
    // h calls through the table, which holds a (2000) and c (2500, of another type): the
    // bound counts a alone.
    let mut h = func("h", 16, &[]);
    h = h.replace(
        "  (global.set $global$0\n   (i32.add",
        "  (call_indirect (type $0)\n   (i32.const 0)\n  )\n  (global.set $global$0\n   (i32.add",
    );
    let text = format!(
        "(module\n (type $0 (func))\n (global $global$0 (mut i32) (i32.const 5120))\n (table $0 3 3 funcref)\n (elem $0 (i32.const 1) $a $c)\n (export \"h\" (func $h))\n{h}{}{}{})\n",
        func("a", 2000, &[]),
        func("b", 3000, &[]),
        func("c", 2500, &[]).replace(" (func $c\n", " (func $c (param $9 i32)\n"),
    );
    let (passed, said) = check(&text);
    assert!(passed, "{said}");
    assert!(said.contains("at most 2016 B"), "{said}");
}

#[test]
fn a_stack_pointer_written_another_way_fails() {
    let odd = func("h", 16, &[]).replace(
        "   (i32.add\n    (local.get $0)\n    (i32.const 0)\n   )",
        "   (i32.const 64)",
    );
    let (passed, said) = check(&module(5120, &[odd]));
    assert!(!passed, "{said}");
    assert!(said.contains("$h writes the stack pointer"), "{said}");
}
