/// The CRM's tables exactly as spec §2 gives them, for demos, the generator and tests.
public enum SpecSchema {
    /// The SQLite DDL of spec §2, verbatim.
    public static let sqlite: [String] = [
        """
        CREATE TABLE core_cliente (
          id   INTEGER PRIMARY KEY,
          nome TEXT NOT NULL)
        """,
        """
        CREATE TABLE core_whatsappinstance (
          id          INTEGER PRIMARY KEY,
          instance_id TEXT NOT NULL UNIQUE,
          cliente_id  INTEGER NOT NULL REFERENCES core_cliente(id))
        """,
        """
        CREATE TABLE core_chat (
          id          INTEGER PRIMARY KEY,
          chat_id     TEXT NOT NULL,
          chat_name   TEXT,
          cliente_id  INTEGER NOT NULL REFERENCES core_cliente(id),
          instance_id INTEGER REFERENCES core_whatsappinstance(id))
        """,
        """
        CREATE TABLE core_mensagem (
          id         INTEGER PRIMARY KEY,
          chat_id    INTEGER NOT NULL REFERENCES core_chat(id),
          message_id TEXT,
          remetente  TEXT,
          tipo       TEXT NOT NULL,
          conteudo   TEXT,
          data_envio TEXT NOT NULL,
          from_me    INTEGER NOT NULL DEFAULT 0)
        """,
    ]

    /// The PostgreSQL form: `data_envio timestamptz`, `from_me boolean`, and `conteudo` as `text` or,
    /// when `jsonbConteudo`, `jsonb`.
    public static func postgres(jsonbConteudo: Bool = false) -> [String] {
        [
            """
            CREATE TABLE core_cliente (
              id   BIGINT PRIMARY KEY,
              nome TEXT NOT NULL)
            """,
            """
            CREATE TABLE core_whatsappinstance (
              id          BIGINT PRIMARY KEY,
              instance_id TEXT NOT NULL UNIQUE,
              cliente_id  BIGINT NOT NULL REFERENCES core_cliente(id))
            """,
            """
            CREATE TABLE core_chat (
              id          BIGINT PRIMARY KEY,
              chat_id     TEXT NOT NULL,
              chat_name   TEXT,
              cliente_id  BIGINT NOT NULL REFERENCES core_cliente(id),
              instance_id BIGINT REFERENCES core_whatsappinstance(id))
            """,
            """
            CREATE TABLE core_mensagem (
              id         BIGINT PRIMARY KEY,
              chat_id    BIGINT NOT NULL REFERENCES core_chat(id),
              message_id TEXT,
              remetente  TEXT,
              tipo       TEXT NOT NULL,
              conteudo   \(jsonbConteudo ? "JSONB" : "TEXT"),
              data_envio TIMESTAMPTZ NOT NULL,
              from_me    BOOLEAN NOT NULL DEFAULT FALSE)
            """,
        ]
    }
}
