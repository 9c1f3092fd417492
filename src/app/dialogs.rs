//! The platform's file dialogs, run on their own thread so the window keeps drawing while one is
//! open; what the user picks comes back as commands ([`Command::OpenFiles`], an export, a saved
//! view).

use std::path::PathBuf;
use std::sync::mpsc;

use crate::ui::Command;
use crate::ui::command::{OpenDialog, OpenRequest};
use crate::ui::editor::EditCommand;

/// A dialog waiting for the user.
#[derive(Debug)]
pub struct PendingDialog {
    receiver: mpsc::Receiver<Vec<Command>>,
}

impl PendingDialog {
    /// Opens the dialog; `None` when no thread could be started for it.
    pub fn start(kind: OpenDialog) -> Option<Self> {
        let (sender, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let dialog = rfd::FileDialog::new().set_title("Kronika");
                let commands = match kind {
                    OpenDialog::File => {
                        let picked = dialog
                            .add_filter(
                                "Data and tile archives",
                                &["geojson", "json", "csv", "tsv", "txt", "kml", "kmz", "pmtiles", "mbtiles"],
                            )
                            .add_filter("All files", &["*"])
                            .pick_files()
                            .unwrap_or_default();
                        (!picked.is_empty())
                            .then(|| Command::OpenFiles(OpenRequest::paths(picked)))
                            .into_iter()
                            .collect()
                    }
                    OpenDialog::SourceText => dialog
                        .add_filter("Text, Markdown or HTML", &["txt", "md", "markdown", "html", "htm"])
                        .add_filter("All files", &["*"])
                        .pick_file()
                        .map(|file| Command::Edit(EditCommand::SourceFilePicked(file)))
                        .into_iter()
                        .collect(),
                    OpenDialog::NewDatasetFolder => dialog
                        .pick_folder()
                        .map(|folder| Command::Edit(EditCommand::NewDatasetFolderPicked(Some(folder))))
                        .into_iter()
                        .collect(),
                    OpenDialog::Folder => dialog
                        .pick_folder()
                        .map(|folder| Command::OpenFiles(OpenRequest::paths(vec![folder])))
                        .into_iter()
                        .collect(),
                    OpenDialog::Save { file_name, extension, then } => dialog
                        .set_file_name(&file_name)
                        .add_filter(extension, &[extension])
                        .save_file()
                        .map(|path: PathBuf| then.command(path))
                        .into_iter()
                        .collect(),
                };
                sender.send(commands).ok();
            })
            .ok()?;
        Some(Self { receiver })
    }

    /// The commands once the dialog has closed: that it closed, and what was picked.
    pub fn poll(&self) -> Vec<Command> {
        match self.receiver.try_recv() {
            Ok(picked) => std::iter::once(Command::DialogClosed).chain(picked).collect(),
            Err(mpsc::TryRecvError::Empty) => Vec::new(),
            Err(mpsc::TryRecvError::Disconnected) => vec![Command::DialogClosed],
        }
    }
}
