fn main() {
    minijinja_embed::embed_templates!("templates");
    // The Fluent files are embedded by `i18n`'s static loader: a new or changed `.ftl` file
    // must rebuild the kernel (cargo watches every file under a directory named here).
    println!("cargo:rerun-if-changed=../../locales");
}
