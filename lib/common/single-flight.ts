/**
 * Concurrent callers with one key share one call; the call is forgotten as it settles, so a failure
 * (or a timeout) is never kept and the next caller starts afresh.
 */
export class SingleFlight<K, V> {
  private readonly flights = new Map<K, Promise<V>>();

  run(key: K, work: () => Promise<V>): Promise<V> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = work().finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }
}
