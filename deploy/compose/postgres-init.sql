-- Runs once, when the postgres container initialises an empty data volume.
-- The shop lives in POSTGRES_DB (one schema per service); n8n keeps its own database.
CREATE DATABASE n8n;
