/** A test scraper's token for /metrics: servers started for tests are given it as METRICS_TOKEN. */
export const testMetricsToken = 'test-metrics-token-0123456789abcdef';

/** GET /metrics as Prometheus would, with the bearer token. */
export async function scrapeMetrics(url: string, token = testMetricsToken): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  return response.text();
}

/** The value of one series in a scrape (`name` or `name{labels}` exactly as exposed); undefined when absent. */
export function seriesValue(scrape: string, series: string): number | undefined {
  const line = scrape.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
