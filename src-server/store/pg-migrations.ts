/**
 * Versioned schema of the PostgreSQL team store. Each migration runs once, in its own transaction,
 * in version order, while the migrating instance holds `MIGRATION_LOCK` (a session advisory lock), so
 * instances starting together migrate once. Never edit a released migration: append a new one.
 *
 * Timestamps are `timestamptz`; documents, contexts and event payloads are `text` holding JSON exactly
 * as clients sent it (jsonb would reorder keys of library documents); screenshots are `bytea`.
 */

/** One schema change. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory lock key held while migrating and bootstrapping ("sidekick" in ASCII, as a bigint). */
export const MIGRATION_LOCK = 0x7369646b69636bn;

/** Every migration, oldest first. */
export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'teams, members, tokens, invites, requests, messages, library, events',
    sql: `
CREATE TABLE teams (
  id text PRIMARY KEY, name text NOT NULL, seq bigint NOT NULL DEFAULT 0, created_at timestamptz NOT NULL);
CREATE TABLE members (
  id text PRIMARY KEY, team_id text NOT NULL REFERENCES teams(id), name text NOT NULL, role text NOT NULL,
  created_at timestamptz NOT NULL, revoked_at timestamptz);
CREATE INDEX members_team ON members(team_id, created_at);
CREATE TABLE tokens (
  hash text PRIMARY KEY, member_id text NOT NULL REFERENCES members(id), created_at timestamptz NOT NULL,
  revoked_at timestamptz);
CREATE INDEX tokens_member ON tokens(member_id);
CREATE TABLE invites (
  id text PRIMARY KEY, team_id text NOT NULL REFERENCES teams(id), code_hash text NOT NULL UNIQUE, role text NOT NULL,
  max_uses integer NOT NULL, uses integer NOT NULL DEFAULT 0, expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL, revoked_at timestamptz);
CREATE INDEX invites_team ON invites(team_id, created_at);
CREATE TABLE requests (
  id text PRIMARY KEY, team_id text NOT NULL REFERENCES teams(id), client_id text NOT NULL,
  requester_id text NOT NULL REFERENCES members(id), state text NOT NULL, question text NOT NULL, context text NOT NULL,
  screenshot_mime text, screenshot_width integer, screenshot_height integer, screenshot bytea,
  claimed_by text REFERENCES members(id), resolution text, last_message_seq integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  UNIQUE (team_id, requester_id, client_id));
CREATE INDEX requests_team_state ON requests(team_id, state, created_at);
CREATE INDEX requests_team_created ON requests(team_id, created_at);
CREATE TABLE messages (
  id text PRIMARY KEY, team_id text NOT NULL REFERENCES teams(id), request_id text NOT NULL REFERENCES requests(id),
  seq integer NOT NULL, client_id text NOT NULL, author_id text NOT NULL REFERENCES members(id), kind text NOT NULL,
  text text NOT NULL, pointer text, created_at timestamptz NOT NULL,
  UNIQUE (request_id, seq), UNIQUE (request_id, author_id, client_id));
CREATE TABLE library (
  team_id text NOT NULL REFERENCES teams(id), id text NOT NULL, kind text NOT NULL, version integer NOT NULL,
  doc text, app text NOT NULL, labels text NOT NULL, deleted boolean NOT NULL DEFAULT false,
  updated_by text NOT NULL REFERENCES members(id), updated_at timestamptz NOT NULL, seq bigint NOT NULL,
  created_by text REFERENCES members(id),
  PRIMARY KEY (team_id, id));
CREATE INDEX library_team_seq ON library(team_id, seq);
CREATE TABLE events (
  team_id text NOT NULL REFERENCES teams(id), seq bigint NOT NULL, type text NOT NULL, requester_id text,
  payload text NOT NULL, created_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, seq));
`,
  },
  {
    version: 2,
    name: 'settings shared by every instance (the public URL invite links use)',
    sql: `CREATE TABLE settings (
  key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());`,
  },
  {
    version: 3,
    name: 'when a helper took each request (the usual wait shown to a person in the queue)',
    sql: `ALTER TABLE requests ADD COLUMN claimed_at timestamptz;
CREATE INDEX requests_team_claimed ON requests(team_id, claimed_at);`,
  },
  {
    version: 4,
    name: 'questions the team library learned from use',
    sql: `CREATE TABLE learned_questions (
  team_id text NOT NULL REFERENCES teams(id), item_id text NOT NULL, question text NOT NULL,
  member_id text NOT NULL REFERENCES members(id), created_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, item_id, question));`,
  },
  {
    version: 5,
    name: 'insights: when requests were resolved, their app and walkthrough step as columns, opt-in usage events',
    sql: `ALTER TABLE requests ADD COLUMN resolved_at timestamptz;
ALTER TABLE requests ADD COLUMN app text;
ALTER TABLE requests ADD COLUMN walkthrough_id text;
ALTER TABLE requests ADD COLUMN walkthrough_step integer;
UPDATE requests SET resolved_at = CASE WHEN state = 'resolved' THEN updated_at END, app = context::json->>'app',
  walkthrough_id = context::json->'walkthrough'->>'id',
  walkthrough_step = (context::json->'walkthrough'->>'stepIndex')::integer;
CREATE TABLE usage_events (
  team_id text NOT NULL REFERENCES teams(id), member_id text NOT NULL REFERENCES members(id), client_id text NOT NULL,
  type text NOT NULL, at timestamptz NOT NULL, app text NOT NULL, question text, walkthrough_id text,
  step_index integer,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, member_id, client_id));
CREATE INDEX usage_events_team_received ON usage_events(team_id, received_at);
CREATE INDEX requests_team_app ON requests(team_id, app, created_at);`,
  },
  {
    version: 6,
    name: 'routing: who each request goes to first, and per-team settings (how long, names shown to the asker)',
    sql: `ALTER TABLE requests ADD COLUMN routing text;
CREATE TABLE team_settings (
  team_id text PRIMARY KEY REFERENCES teams(id), route_to_team_after_minutes integer NOT NULL,
  show_helper_names_to_requester boolean NOT NULL, updated_at timestamptz NOT NULL,
  updated_by text REFERENCES members(id));`,
  },
  {
    version: 7,
    name: 'a library item (walkthrough or tip) sent into a chat: `library` messages carry its reference',
    sql: `ALTER TABLE messages ADD COLUMN library text;`,
  },
];

/** The newest schema version this code knows. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;
