use super::*;

#[test]
fn demo_parses() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo.guize")).unwrap();
    let src = Source::new("demo.guize", text);
    match parse(&src) {
        Ok(f) => println!("{:#?}", f.rulesets[0].articles[1]),
        Err(e) => panic!("{}", crate::diag::render(&e, false)),
    }
}
