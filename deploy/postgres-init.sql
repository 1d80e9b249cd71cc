-- Runs once when the PostgreSQL volume is new: the application database next to Temporal's.
CREATE DATABASE dossierflow;
