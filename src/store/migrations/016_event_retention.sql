-- Retention of everything that grows with each bank event (issue 14 item 3: EVENT_RETENTION_DAYS,
-- src/realtime/event-retention.ts). Besides event_log, the replay ledger of bank webhooks and the
-- newest state each link was told about are pruned by age; these indexes let the sweep find the
-- old rows without reading the tables whole.
CREATE INDEX webhook_events_by_received_at ON webhook_events (received_at);

-- When the gateway last advanced each subject's state (occurred_at is the bank's time, which says
-- nothing about how long ago the gateway heard of it). Rows already here count from now.
ALTER TABLE event_subjects ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE event_subjects ALTER COLUMN recorded_at DROP DEFAULT;
CREATE INDEX event_subjects_by_recorded_at ON event_subjects (recorded_at);
