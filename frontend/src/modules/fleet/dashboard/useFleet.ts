// Data of the dashboard: the fleet overview and the alerts, kept live by the backend's
// `fleet.refresh` and `alert` events (and a slow poll as a safety net if events are lost).
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fleet, onReconnect, type Alert, type AlertQuery } from '../../../bridge';

export const fleetKeys = {
  all: ['fleet'] as const,
  overview: ['fleet', 'overview'] as const,
  alerts: (q: AlertQuery) => ['fleet', 'alerts', q.state ?? 'all', q.machine_id ?? '', q.limit ?? 0] as const,
};

const ALERT_BATCH_MS = 250;

/** The fleet overview, refetched after every backend refresh. */
export function useFleetOverview() {
  return useQuery({
    queryKey: fleetKeys.overview,
    queryFn: fleet.overview,
    staleTime: 5_000,
    // Events bring the updates; the poll only covers a lost event stream.
    refetchInterval: (q) => Math.max(30, (q.state.data?.interval_s ?? 30) * 2) * 1000,
  });
}

export function useAlerts(q: AlertQuery) {
  return useQuery({ queryKey: fleetKeys.alerts(q), queryFn: () => fleet.alerts(q), staleTime: 5_000 });
}

/** Subscribes to the live-fleet events for as long as the component is mounted. */
export function useFleetEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const offRefresh = fleet.onRefresh(() => void client.invalidateQueries({ queryKey: fleetKeys.overview }));
    // A refresh can raise or clear many alerts at once: refetch once per burst.
    const offAlert = fleet.onAlert(() => {
      timer ??= setTimeout(() => {
        timer = null;
        void client.invalidateQueries({ queryKey: ['fleet', 'alerts'] });
      }, ALERT_BATCH_MS);
    });
    const offReconnect = onReconnect(() => void client.invalidateQueries({ queryKey: fleetKeys.all }));
    return () => {
      offRefresh();
      offAlert();
      offReconnect();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
}

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (a: Alert) => fleet.acknowledgeAlert(a.id),
    onSuccess: () => void client.invalidateQueries({ queryKey: fleetKeys.all }),
  });
}

export function useRefreshNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fleet.refresh,
    onSuccess: (ov) => client.setQueryData(fleetKeys.overview, ov),
  });
}
