//! Loading a dataset off the UI thread, so the window stays responsive; the report comes back
//! through a channel and is applied as [`Command::DatasetLoaded`].

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::io::{LoadOptions, LoadReport, Location, Problem, ProblemKind, load_many};
use crate::ui::Command;

/// A load in progress.
#[derive(Debug)]
pub struct PendingLoad {
    path: PathBuf,
    receiver: mpsc::Receiver<LoadReport>,
}

impl PendingLoad {
    /// Starts loading `paths` (as one dataset) on its own thread; `Err` with the report, loaded
    /// here, when no thread can be started.
    ///
    /// # Errors
    /// The finished report, when it had to be loaded on this thread.
    pub fn start(paths: &[PathBuf], options: &LoadOptions) -> Result<Self, Box<LoadReport>> {
        let (sender, receiver) = mpsc::channel();
        let path = paths.first().cloned().unwrap_or_default();
        let (thread_paths, thread_options) = (paths.to_vec(), options.clone());
        let spawned = std::thread::Builder::new().name("dataset-loader".into()).spawn(move || {
            // The receiver may be gone if another dataset was opened meanwhile; nothing to do then.
            sender.send(load_many(&thread_paths, &thread_options)).ok();
        });
        match spawned {
            Ok(_) => Ok(Self { path, receiver }),
            Err(_) => Err(Box::new(load_many(paths, options))),
        }
    }

    /// The path being loaded.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The finished report as a command, once it is there; asks for a repaint while waiting.
    pub fn poll(&self, ctx: &egui::Context) -> Option<Command> {
        match self.receiver.try_recv() {
            Ok(report) => Some(Command::DatasetLoaded(Box::new(report))),
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
                None
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                let mut report = LoadReport { path: self.path.clone(), ..LoadReport::default() };
                report.problems.push(Problem::error(
                    Location { file: self.path.clone(), ..Location::default() },
                    ProblemKind::Unreadable("the loader stopped unexpectedly".into()),
                ));
                Some(Command::DatasetLoaded(Box::new(report)))
            }
        }
    }
}
