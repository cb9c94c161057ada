-- Placeholder: migration 008 belongs to the consent receipts (branch `receipts`), which land
-- separately; the migration loader refuses a gap in the numbering. DELETE THIS FILE when
-- 008_consent_receipts (or whatever receipts names it) is merged.
SELECT 1;
