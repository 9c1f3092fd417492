//! A large regroup — a million events after the zoom changed — made on a thread of its own, so the
//! frame goes on: until it lands the map shows the groups it had, moved and scaled to the new view
//! and kept apart by the collision pass, then the exact ones.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::grid::CellGrid;
use crate::model::MapColumns;

/// A regroup running off the frame.
#[derive(Debug)]
pub struct Regroup {
    /// The data generation it groups.
    generation: u64,
    landed: Receiver<CellGrid>,
    /// Set once its thread is done (landed or lost), for whoever waits without taking the grid.
    done: Arc<AtomicBool>,
}

/// Where a regroup is.
#[derive(Debug)]
pub enum RegroupState {
    /// Still grouping.
    Running,
    /// Done: its grid.
    Landed(CellGrid),
    /// Its thread stopped without a grid (it panicked): the caller groups on the frame.
    Lost,
}

impl Regroup {
    /// Starts grouping the first `end` events of `columns` over `cells` for `made_for` (scale bits,
    /// data generation). `None` when no thread could be started: the caller groups on the frame.
    pub fn start(
        columns: MapColumns,
        cells: ((i32, i32), (i32, i32)),
        made_for: (u64, u64),
        end: usize,
    ) -> Option<Self> {
        let (sender, landed) = mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let set_done = Arc::clone(&done);
        let work = move || {
            let grouped = crate::parallel::catch(|| {
                let mut grid = CellGrid::new(cells, made_for);
                grid.add_prefix(&columns, end);
                grid.grouped_prefix = Some(end);
                grid
            });
            // A panic drops the sender: the regroup is then lost, not waited for.
            if let Ok(grid) = grouped {
                sender.send(grid).ok();
            }
            set_done.store(true, Ordering::Release);
        };
        std::thread::Builder::new().name("kronika-regroup".to_owned()).spawn(work).ok()?;
        Some(Self { generation: made_for.1, landed, done })
    }

    /// The data generation it groups.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether its thread is done: the next [`Self::poll`] lands it (or finds it lost).
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Whether it has landed, without waiting.
    pub fn poll(&self) -> RegroupState {
        match self.landed.try_recv() {
            Ok(grid) => RegroupState::Landed(grid),
            Err(TryRecvError::Empty) => RegroupState::Running,
            Err(TryRecvError::Disconnected) => RegroupState::Lost,
        }
    }
}
