//! Work done off the UI thread: a named thread whose result a frame polls, so a slow step
//! (reading a PDF, drawing a page, checking every quote) never stops the window painting.

use std::sync::mpsc::{self, Receiver, TryRecvError};

/// Work done on a thread of its own; polled each frame.
pub(crate) struct Job<T> {
    receiver: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a named thread; `None` when no thread can start.
    pub(crate) fn start(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<Self> {
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let _gone = sender.send(work());
                ctx.request_repaint();
            })
            .ok()?;
        Some(Self { receiver })
    }

    /// The result once it is there; `Err(())` when the thread ended without one.
    pub(crate) fn poll(&self) -> Result<Option<T>, ()> {
        match self.receiver.try_recv() {
            Ok(value) => Ok(Some(value)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(()),
        }
    }
}
