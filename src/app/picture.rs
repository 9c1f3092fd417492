//! A picture of the window: asked of the renderer once the frame is drawn, written to PNG on the
//! renderer's thread, the outcome coming back as a command.

use std::path::PathBuf;
use std::sync::mpsc;

use crate::ui::Command;

/// A picture asked for, or being saved.
#[derive(Debug, Default)]
pub struct PictureExport {
    /// Where the next picture goes (asked for, not yet requested of the renderer).
    pub request: Option<PathBuf>,
    /// The outcome of the picture being saved.
    pub pending: Option<mpsc::Receiver<Result<String, String>>>,
}

impl PictureExport {
    /// Requests the picture asked for, and returns the outcome of one saved.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Command> {
        if let Some(path) = self.request.take() {
            let (sender, receiver) = mpsc::channel();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let rgba: Vec<u8> = image.pixels.iter().flat_map(egui::Color32::to_array).collect();
                let size = [image.size[0], image.size[1]].map(|side| u32::try_from(side).unwrap_or(0));
                let result = crate::io::export::write_png(&path, size, rgba)
                    .map(|()| path.display().to_string())
                    .map_err(|error| format!("{}: {error}", path.display()));
                sender.send(result).ok();
                repaint.request_repaint();
            });
            self.pending = Some(receiver);
        }
        let outcome = self.pending.as_ref()?.try_recv();
        match outcome {
            Ok(result) => Some(Command::PictureSaved(result)),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Command::PictureSaved(Err("the renderer gave no picture".into())))
            }
        }
    }
}
