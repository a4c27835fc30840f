// Embedded migrations and the bundled register are compiled in: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=web");
}
