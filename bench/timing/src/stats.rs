//! Medians of runs, and the request timeline of a page cut into sequential round trips.

/// One fetch or XHR of a page, as `www/measure.js` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The URL's path: never its query, which may hold a code or a token.
    pub path: String,
    /// Whether it went to the page's own origin (the package's own files) rather than to
    /// the authorization server.
    pub same_origin: bool,
    /// When it started, in milliseconds from navigation start.
    pub start: f64,
    /// When its response ended, in milliseconds from navigation start.
    pub end: f64,
}

/// The median of `values`, which must not be empty (the mean of the two middle ones for
/// an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// The index of the run that is the median (for an even count, the lower middle one).
pub fn median_index(values: &[f64]) -> usize {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order[(values.len() - 1) / 2]
}

/// Cuts `requests` into waves of requests in flight together, in order: a request that
/// starts before every request of the wave so far has ended joins it, one that starts later
/// had to wait and opens the next wave. The number of waves is the number of sequential
/// round trips.
pub fn waves(requests: &[Request]) -> Vec<Vec<Request>> {
    let mut sorted = requests.to_vec();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut waves: Vec<Vec<Request>> = Vec::new();
    let mut wave_end = f64::NEG_INFINITY;
    for request in sorted {
        match waves.last_mut() {
            Some(wave) if request.start < wave_end => {
                wave_end = wave_end.max(request.end);
                wave.push(request);
            }
            _ => {
                wave_end = request.end;
                waves.push(vec![request]);
            }
        }
    }
    waves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, start: f64, end: f64) -> Request {
        Request {
            path: path.to_owned(),
            same_origin: false,
            start,
            end,
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[7.0]), 7.0);
    }

    #[test]
    fn median_index_points_at_the_middle_run() {
        assert_eq!(median_index(&[30.0, 10.0, 20.0]), 2);
        assert_eq!(median_index(&[40.0, 10.0, 30.0, 20.0]), 3);
    }

    #[test]
    fn overlapping_requests_are_one_wave_and_a_later_one_another() {
        let requests = [
            request("/token", 50.0, 70.0),
            request("/discovery", 10.0, 20.0),
            request("/jwks", 55.0, 80.0),
            // Starts before /jwks ends: still in flight together with the wave.
            request("/userinfo", 75.0, 90.0),
            request("/me", 95.0, 99.0),
        ];
        let waves = waves(&requests);
        let paths: Vec<Vec<&str>> = waves
            .iter()
            .map(|w| w.iter().map(|r| r.path.as_str()).collect())
            .collect();
        assert_eq!(
            paths,
            [
                vec!["/discovery"],
                vec!["/token", "/jwks", "/userinfo"],
                vec!["/me"]
            ]
        );
    }

    #[test]
    fn a_request_starting_as_another_ends_waited_for_it() {
        let requests = [request("/a", 0.0, 10.0), request("/b", 10.0, 20.0)];
        assert_eq!(waves(&requests).len(), 2);
        assert!(waves(&[]).is_empty());
    }
}
