//! Questions to a store, answered on a thread of their own: the window never waits for a
//! database. A newer question of a kind replaces the older ones still waiting, and answers to
//! questions the view has moved on from are dropped by the app (their generation is old).

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::store::{BinQuery, Cell, EventRow, EventStore, SearchHits, StoreError, ViewQuery};

/// How long a question must have run before a newer one of its kind stops it.
const WORTH_STOPPING: Duration = Duration::from_millis(150);

/// Most events listed for a view.
pub const LIST_LIMIT: usize = 200;

/// A question.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// How many events, their extent.
    Overview,
    /// The timeline's bins.
    Bins(BinQuery),
    /// The cells and the list of a view.
    View(ViewQuery),
    /// A search.
    Search(String),
    /// One event, and its start day when known.
    Details(String, Option<i32>),
}

impl Job {
    fn kind(&self) -> u8 {
        match self {
            Self::Overview => 0,
            Self::Bins(_) => 1,
            Self::View(_) => 2,
            Self::Search(_) => 3,
            Self::Details(..) => 4,
        }
    }
}

/// An answer.
#[derive(Debug)]
pub enum Answer {
    /// Events in all, and the first and last day.
    Overview(Result<(u64, Option<(i32, i32)>), StoreError>),
    /// The bins asked for.
    Bins(BinQuery, Result<Vec<u64>, StoreError>),
    /// A view's cells and first events.
    View(ViewQuery, Result<(Vec<Cell>, SearchHits), StoreError>),
    /// What a search found.
    Search(String, Result<SearchHits, StoreError>),
    /// One event, if it exists.
    Details(String, Result<Option<EventRow>, StoreError>),
}

/// The thread that asks the store.
pub struct QueryWorker {
    jobs: Sender<(u64, Job)>,
    answers: Receiver<(u64, Answer)>,
    store: Arc<dyn EventStore>,
    /// The kind of question being worked out now, and since when.
    in_flight: Arc<Mutex<Option<(u8, Instant)>>>,
}

/// True when an answer is a stopped question's.
fn cancelled(answer: &Answer) -> bool {
    let (Answer::Overview(Err(error))
    | Answer::Bins(_, Err(error))
    | Answer::View(_, Err(error))
    | Answer::Search(_, Err(error))
    | Answer::Details(_, Err(error))) = answer
    else {
        return false;
    };
    error.is_cancelled()
}

fn answer(store: &dyn EventStore, job: Job) -> Answer {
    match job {
        Job::Overview => Answer::Overview(store.count().and_then(|n| Ok((n, store.extent()?)))),
        Job::Bins(query) => Answer::Bins(query, store.bins(&query)),
        Job::View(query) => {
            let found = store.cells(&query).and_then(|cells| Ok((cells, store.events_in_view(&query, LIST_LIMIT)?)));
            Answer::View(query, found)
        }
        Job::Search(text) => {
            let found = store.search(&text, LIST_LIMIT);
            Answer::Search(text, found)
        }
        Job::Details(id, start_day) => {
            let found = store.details(&id, start_day);
            Answer::Details(id, found)
        }
    }
}

impl QueryWorker {
    /// Starts the thread; `wake` is called after each answer (to repaint the window).
    pub fn start(store: Arc<dyn EventStore>, wake: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_receiver) = mpsc::channel::<(u64, Job)>();
        let (answer_sender, answers) = mpsc::channel();
        let in_flight: Arc<Mutex<Option<(u8, Instant)>>> = Arc::default();
        let working = Arc::clone(&in_flight);
        let worker_store = Arc::clone(&store);
        std::thread::Builder::new()
            .name("store-queries".into())
            .spawn(move || {
                while let Ok(first) = job_receiver.recv() {
                    // The newest question of each kind; older ones waiting are superseded.
                    let mut waiting = vec![first];
                    loop {
                        match job_receiver.try_recv() {
                            Ok(job) => waiting.push(job),
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let mut newest: Vec<(u64, Job)> = Vec::new();
                    for (generation, job) in waiting {
                        newest.retain(|(_, kept)| kept.kind() != job.kind());
                        newest.push((generation, job));
                    }
                    for (generation, job) in newest {
                        let kind = job.kind();
                        if let Ok(mut working) = working.lock() {
                            *working = Some((kind, Instant::now()));
                        }
                        let mut answered = answer(worker_store.as_ref(), job.clone());
                        // Stopped though no newer question of its kind came (a race with a cancel
                        // meant for the one before): asked once more.
                        if cancelled(&answered) && !matches!(job, Job::View(_) | Job::Search(_)) {
                            answered = answer(worker_store.as_ref(), job);
                        }
                        if let Ok(mut working) = working.lock() {
                            *working = None;
                        }
                        if answer_sender.send((generation, answered)).is_err() {
                            return;
                        }
                        wake();
                    }
                }
            })
            .ok();
        Self { jobs, answers, store, in_flight }
    }

    /// Asks a question. A question of the same kind still being worked out (a view the map has
    /// left, words since retyped) is stopped, from a thread of its own so the caller never waits.
    pub fn ask(&self, generation: u64, job: Job) {
        let kind = job.kind();
        // Only a question that has run a while is worth stopping: most answer sooner than a kill
        // would reach the server, and scrubbing asks one every frame.
        let same_kind_running = self.in_flight.lock().is_ok_and(|running| {
            running.is_some_and(|(running, since)| running == kind && since.elapsed() >= WORTH_STOPPING)
        });
        if same_kind_running && matches!(job, Job::View(_) | Job::Search(_)) {
            let store = Arc::clone(&self.store);
            std::thread::Builder::new().name("store-cancel".into()).spawn(move || store.cancel()).ok();
        }
        self.jobs.send((generation, job)).ok();
    }

    /// The answers that have come.
    pub fn answers(&self) -> Vec<(u64, Answer)> {
        self.answers.try_iter().collect()
    }
}
