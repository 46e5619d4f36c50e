//! Request counters and latency histograms in the Prometheus text format, kept in memory.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

const BUCKETS_MS: [f64; 10] = [1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum_ms: f64,
    buckets: [u64; BUCKETS_MS.len()],
}

#[derive(Default)]
pub struct Metrics {
    // (method, route, status) → series. Routes are the router's patterns, so the set is bounded.
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, ms: f64) {
        let Ok(mut map) = self.series.lock() else { return };
        let s = map.entry((method.to_string(), route.to_string(), status)).or_default();
        s.count += 1;
        s.sum_ms += ms;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn render(&self, out: &mut String) {
        let Ok(map) = self.series.lock() else { return };
        out.push_str("# HELP glasnost_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE glasnost_http_requests_total counter\n");
        for ((m, r, st), s) in map.iter() {
            let _ = writeln!(
                out,
                "glasnost_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}",
                s.count
            );
        }
        out.push_str("# HELP glasnost_http_request_duration_ms Request duration in milliseconds.\n");
        out.push_str("# TYPE glasnost_http_request_duration_ms histogram\n");
        let mut by_route: BTreeMap<(String, String), Series> = BTreeMap::new();
        for ((m, r, _), s) in map.iter() {
            let agg = by_route.entry((m.clone(), r.clone())).or_default();
            agg.count += s.count;
            agg.sum_ms += s.sum_ms;
            for i in 0..BUCKETS_MS.len() {
                agg.buckets[i] += s.buckets[i];
            }
        }
        for ((m, r), s) in by_route {
            for (i, b) in BUCKETS_MS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "glasnost_http_request_duration_ms_bucket{{method=\"{m}\",route=\"{r}\",le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "glasnost_http_request_duration_ms_bucket{{method=\"{m}\",route=\"{r}\",le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(out, "glasnost_http_request_duration_ms_sum{{method=\"{m}\",route=\"{r}\"}} {}", s.sum_ms);
            let _ =
                writeln!(out, "glasnost_http_request_duration_ms_count{{method=\"{m}\",route=\"{r}\"}} {}", s.count);
        }
    }
}
