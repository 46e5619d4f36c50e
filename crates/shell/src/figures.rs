//! Every mechanism's figures for every body (see [`crate::mechanism::Figures`]), kept in each
//! node's memory per language and day. They depend on no one request, and computing them reads
//! every body's plans, appeals and datasets; so a node computes them once, serves that copy, and
//! computes them again in the background once the copy is `recheck_ms` old (changes made through
//! other nodes show within that time). After a change made through this node, the next request
//! waits for fresh figures, so the person who made the change sees it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::chrome::Visitor;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mechanism::Figures;
use crate::state::AppState;

#[derive(Default)]
pub struct KeptFigures {
    kept: Mutex<HashMap<Lang, Computed>>,
    /// Raised after every change made through this node.
    mark: AtomicU64,
    refreshing: Mutex<HashSet<Lang>>,
}

#[derive(Clone)]
struct Computed {
    figures: Arc<Vec<Figures>>,
    today: deadlines::Date,
    mark: u64,
    at: Instant,
}

impl KeptFigures {
    /// After a change made through this node: the next request computes the figures again.
    pub fn changed(&self) {
        self.mark.fetch_add(1, Ordering::SeqCst);
    }

    fn store(&self, lang: Lang, c: Computed) {
        if let Ok(mut kept) = self.kept.lock() {
            // A slow computation started before a newer one must not replace it.
            if kept.get(&lang).is_none_or(|old| (old.mark, old.at) <= (c.mark, c.at)) {
                kept.insert(lang, c);
            }
        }
    }

    /// Whether this caller is the one to refresh `lang` (no other refresh is running).
    fn start_refresh(&self, lang: Lang) -> bool {
        self.refreshing.lock().is_ok_and(|mut r| r.insert(lang))
    }

    fn end_refresh(&self, lang: Lang) {
        if let Ok(mut r) = self.refreshing.lock() {
            r.remove(&lang);
        }
    }
}

async fn compute(state: &AppState, v: &Visitor) -> AppResult<Computed> {
    let mark = state.figures.mark.load(Ordering::SeqCst);
    let (today, cal) = state.today_and_calendar().await?;
    let dir = state.directory().await?;
    let mut figures = Vec::new();
    for f in state.mechanisms.iter().filter_map(|m| m.figures) {
        figures.push(f(state, v, &dir.bodies, today, &cal).await?);
    }
    Ok(Computed { figures: Arc::new(figures), today, mark, at: Instant::now() })
}

/// Every listed mechanism's figures, in the visitor's language, for today.
pub async fn figures(state: &AppState, v: &Visitor) -> AppResult<Arc<Vec<Figures>>> {
    let (today, _) = state.today_and_calendar().await?;
    let kept = &state.figures;
    let mark = kept.mark.load(Ordering::SeqCst);
    let copy = kept.kept.lock().ok().and_then(|k| k.get(&v.lang).cloned());
    if let Some(c) = copy.filter(|c| c.today == today && c.mark == mark) {
        let recheck = Duration::from_millis(state.cfg.recheck_ms as u64);
        if c.at.elapsed() >= recheck && kept.start_refresh(v.lang) {
            let (state, v) = (state.clone(), v.clone());
            tokio::spawn(async move {
                match compute(&state, &v).await {
                    Ok(fresh) => state.figures.store(v.lang, fresh),
                    Err(e) => tracing::error!(error = ?e, "cannot compute the regional figures"),
                }
                state.figures.end_refresh(v.lang);
            });
        }
        return Ok(c.figures);
    }
    let fresh = compute(state, v).await?;
    let figures = fresh.figures.clone();
    kept.store(v.lang, fresh);
    Ok(figures)
}

/// How much each body needs attention in one mechanism (`FigureRow::urgency`, by body id), from
/// the kept figures: a staff home reads it instead of working it out again per view.
pub async fn urgency_of(state: &AppState, v: &Visitor, mechanism: &str) -> AppResult<HashMap<i64, u64>> {
    let at = state.mechanisms.iter().filter(|m| m.figures.is_some()).position(|m| m.name == mechanism);
    let figures = figures(state, v).await?;
    Ok(at
        .and_then(|i| figures.get(i))
        .map(|f| f.rows.iter().map(|(body, row)| (*body, row.urgency)).collect())
        .unwrap_or_default())
}
