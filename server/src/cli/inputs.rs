//! What `check` and `report` read: stdin (`-`), files, folders (walked with their excludes) and
//! the `.gz`/`.zip` archives in them; analysed in parallel, handed over in the order named.
use crate::files;
use crate::folder::{self, Checked, Source};
use std::path::PathBuf;

/// Calls `each` with every text's findings (or why it could not be read), in order.
pub fn each_input(
    paths: &[String],
    exclude: &[String],
    mut each: impl FnMut(Result<Checked, String>),
) {
    let mut files_named: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path != "-" {
            match folder::walk(std::path::Path::new(path), exclude) {
                Ok(found) => files_named.extend(found),
                Err(e) => each(Err(e)),
            }
            continue;
        }
        // Stdin between named files: first what was named before it.
        folder::check_each(
            &std::mem::take(&mut files_named),
            files::CLI_LIMIT,
            &mut each,
        );
        match files::read_limited(std::io::stdin().lock(), files::CLI_LIMIT) {
            Ok(bytes) => {
                let (text, encoding) = crate::decode::decode(&bytes);
                let name = "-".to_string();
                each(Ok(folder::analysed(Source {
                    name,
                    text,
                    encoding,
                })));
            }
            Err(e) => each(Err(format!("cannot read -: {e}"))),
        }
    }
    folder::check_each(&files_named, files::CLI_LIMIT, each);
}
