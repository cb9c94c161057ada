-- Placeholder for migration 003, taken by another branch of session 4 (issues 12/13).
-- DELETE this file at merge: the real 003 takes its place (the events branch owns 006).
SELECT 1;
