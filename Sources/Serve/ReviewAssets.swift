/// The review page: plain HTML, CSS and a little JavaScript, served by the binary itself — no CDN,
/// no build step, works offline. The page fetches its items from `/api/review/items`.
enum ReviewAssets {
    /// The page, with the CSRF token its POSTs echo.
    static func page(csrf: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(escape(csrf))">
        <title>audiosync review</title>
        <link rel="stylesheet" href="/review/app.css">
        </head>
        <body>
        <header>
          <h1>audiosync review</h1>
          <span id="counts" class="counts">making the plan…</span>
          <span class="tools">
            <label>Show <select id="filter">
              <option value="open,skipped">to decide</option>
              <option value="open">open</option>
              <option value="skipped">skipped</option>
              <option value="accepted">accepted</option>
              <option value="rejected">rejected</option>
              <option value="stale">stale</option>
              <option value="">all</option>
            </select></label>
            <button id="refresh" type="button" title="Make the plan again (ends this session's run)">Refresh plan</button>
            <button id="prev" type="button">◀ Prev</button>
            <span id="pageinfo"></span>
            <button id="next" type="button">Next ▶</button>
          </span>
        </header>
        <p class="help">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous file · <kbd>1</kbd>–<kbd>9</kbd> choose a candidate · \
        <kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>s</kbd> skip · <kbd>space</kbd> play the file · \
        <kbd>n</kbd>/<kbd>p</kbd> next/previous page. Accept links the file to the message (undo the whole session with \
        <code>audiosync undo RUN</code>); Reject means the pair is never proposed again.</p>
        <p id="status" class="status" role="status"></p>
        <main id="items" data-loaded="false"><p class="empty">Making the plan…</p></main>
        <script src="/review/app.js"></script>
        </body>
        </html>
        """
    }

    static func loginPage(error: String?) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>audiosync — log in</title><link rel="stylesheet" href="/review/app.css"></head>
        <body class="login">
        <form method="post" action="/login">
          <h1>audiosync review</h1>
          <p>Type the token of this server (the file given to <code>audiosync serve --token-file</code>).</p>
          \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
          <input type="password" name="token" autocomplete="current-password" autofocus required>
          <button type="submit">Log in</button>
        </form>
        </body>
        </html>
        """
    }

    /// Text for HTML: the five characters that could end an element or an attribute.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static let style = """
        :root { --ink: #1d2327; --muted: #5f6b73; --line: #d6dde1; --accent: #0b6e4f; --bad: #a4262c; --bg: #f6f8f9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
        header { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .75rem; align-items: center;
          padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
        h1 { font-size: 1.1rem; margin: 0; }
        .counts { color: var(--muted); }
        .tools { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
        .help, .status { margin: .5rem 1rem; color: var(--muted); }
        .status.error { color: var(--bad); }
        kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 .3em; background: #fff; font-size: .85em; }
        main { padding: 0 1rem 2rem; display: grid; gap: .8rem; }
        .empty { color: var(--muted); }
        .item { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
        .item.focused { outline: 3px solid #7fb8a4; }
        .item[data-state="accepted"] { border-left: 6px solid var(--accent); }
        .item[data-state="rejected"], .item[data-state="stale"] { border-left: 6px solid var(--bad); }
        .item[data-state="skipped"] { opacity: .7; }
        .item h2 { font-size: .95rem; margin: 0 0 .3rem; word-break: break-all; }
        .badge { display: inline-block; font-size: .75rem; padding: 0 .4em; border-radius: 3px; background: #e8eef1; margin-right: .4em; }
        .badge.contradicted { background: #fbe3e4; }
        .facts { color: var(--muted); margin: 0 0 .4rem; }
        audio { width: 100%; min-width: 14rem; max-width: 32rem; height: 2.2rem; }
        table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
        th, td { text-align: left; padding: .3rem .4rem; border-top: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: .8rem; }
        tr.chosen { background: #eef7f3; }
        tr[data-state="rejected"], tr[data-state="taken"] { color: var(--muted); text-decoration: line-through; }
        tr[data-state="accepted"] { background: #dff0e8; }
        .num { font-variant-numeric: tabular-nums; }
        details table { font-size: .8rem; }
        button { font: inherit; padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
        button.accept { border-color: var(--accent); color: var(--accent); }
        button.reject { border-color: var(--bad); color: var(--bad); }
        button:disabled { opacity: .4; cursor: default; }
        .note { margin: .4rem 0 0; font-style: italic; }
        body.login { display: grid; place-items: center; min-height: 100vh; }
        body.login form { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.5rem; display: grid; gap: .7rem; max-width: 26rem; }
        .error { color: var(--bad); }
        """

    static let script = #"""
        "use strict";
        // The review page: fetches a page of items, renders them, and posts decisions with the CSRF token.
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const view = { offset: 0, limit: 25, filter: "open,skipped", items: [], focus: 0, chosen: {}, matching: 0 };
        const $ = (id) => document.getElementById(id);

        function el(tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(attributes || {})) {
            if (value === null || value === undefined || value === false) continue;
            if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
            else node.setAttribute(key, value === true ? "" : String(value));
          }
          for (const child of children.flat()) {
            if (child === null || child === undefined) continue;
            node.append(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return node;
        }

        async function api(path, body) {
          const options = body === undefined ? {} : {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
            body: JSON.stringify(body),
          };
          const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
          if (response.status === 401) { location.href = "/login"; throw new Error("log in first"); }
          const json = await response.json().catch(() => ({ message: response.statusText }));
          if (!response.ok) throw new Error(json.message || json.error || response.statusText);
          return json;
        }

        function status(text, isError) {
          const node = $("status");
          node.textContent = text || "";
          node.className = isError ? "status error" : "status";
        }

        const utc = (seconds) => seconds === null || seconds === undefined ? "—"
          : new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19) + " UTC";
        const percent = (p) => p === null || p === undefined ? "—" : (p * 100).toFixed(p > 0.99 ? 2 : 1) + "%";
        const number = (x, digits) => x === null || x === undefined ? "—" : Number(x).toFixed(digits);
        const seconds = (x) => x === null || x === undefined ? "—" : Number(x).toFixed(2) + " s";

        async function load() {
          const query = new URLSearchParams({ offset: view.offset, limit: view.limit, state: view.filter });
          try {
            const page = await api("/api/review/items?" + query);
            view.items = page.items;
            view.matching = page.matching;
            view.focus = Math.min(view.focus, Math.max(0, view.items.length - 1));
            showCounts(page.counts);
            render();
            status("");
          } catch (error) {
            status("Could not load the items: " + error.message, true);
          }
        }

        function showCounts(counts) {
          const states = counts.by_state || {};
          const parts = Object.keys(states).sort().map((key) => key + " " + states[key]);
          $("counts").textContent = counts.total + " files to review" + (parts.length ? " (" + parts.join(", ") + ")" : "")
            + (counts.run ? " · writing run " + counts.run : "");
        }

        function render() {
          const main = $("items");
          main.replaceChildren();
          if (view.items.length === 0) main.append(el("p", { class: "empty" }, "Nothing to review here."));
          view.items.forEach((item, index) => main.append(card(item, index)));
          main.dataset.loaded = "true";
          const first = view.offset + 1, last = view.offset + view.items.length;
          $("pageinfo").textContent = view.items.length ? first + "–" + last + " of " + view.matching : "0 of " + view.matching;
          $("prev").disabled = view.offset === 0;
          $("next").disabled = view.offset + view.limit >= view.matching;
          focus(view.focus, false);
        }

        function card(item, index) {
          const file = item.file;
          const facts = [
            file.format || "unknown format", file.duration !== null ? seconds(file.duration) : null,
            file.size !== null ? file.size + " bytes" : null,
            file.name_time ? "named " + file.name_time.replace("T", " ") + " (server clock)" : null,
            file.modification_time ? "written " + utc(file.modification_time) : null,
          ].filter(Boolean).join(" · ");
          const chosen = view.chosen[file.path] || 0;
          const rows = item.candidates.map((candidate, position) => candidateRow(item, candidate, position, position === chosen));
          return el("article", {
              class: "item", "data-index": index, "data-file": file.path, "data-state": item.state,
              onclick: () => focus(index, false),
            },
            el("h2", {}, el("span", { class: "badge " + item.kind }, item.kind), file.path),
            el("p", { class: "facts" }, "chat " + (file.chat_folder || "—") + " · " + facts
              + " · " + item.reason.replace("_", " ") + (item.probability !== null ? " · best " + percent(item.probability) : "")),
            el("audio", {
              class: "file-audio", controls: true, preload: "metadata",
              src: "/api/review/file?path=" + encodeURIComponent(file.path),
              "data-duration": file.duration,
            }),
            el("table", {},
              el("thead", {}, el("tr", {}, ["#", "message", "chat", "sent", "seconds", "probability", "score", "its file", "why", ""]
                .map((title) => el("th", {}, title)))),
              el("tbody", {}, rows)),
            rivals(item),
            el("p", {},
              el("button", { type: "button", class: "skip", disabled: item.state !== "open", onclick: () => decide("skip", item, null) }, "Skip")),
            item.note ? el("p", { class: "note" }, item.note) : null);
        }

        function rivals(item) {
          if (!item.rivals || item.rivals.length === 0) return null;
          return el("div", { class: "rivals" },
            el("p", { class: "facts" }, "Other files the plan weighed for these messages:"),
            el("table", {}, el("tbody", {}, item.rivals.map((rival) => el("tr", {},
              el("td", {}, rival.file.path),
              el("td", { class: "num" }, "message " + rival.message_id),
              el("td", { class: "num" }, percent(rival.probability)),
              el("td", {}, el("audio", { controls: true, preload: "none",
                src: "/api/review/file?path=" + encodeURIComponent(rival.file.path) })),
              el("td", {}, waterfall(rival.waterfall)))))));
        }

        function candidateRow(item, candidate, position, isChosen) {
          const message = candidate.message;
          const open = (item.state === "open" || item.state === "skipped") && candidate.state === "open";
          const linked = message.local_path
            ? el("audio", { controls: true, preload: "none", src: "/api/audio/hash-mapping/" + message.message_id + "/", title: message.local_path })
            : "none";
          return el("tr", { class: isChosen ? "chosen" : null, "data-message": message.message_id, "data-state": candidate.state },
            el("td", { class: "num" }, position + 1),
            el("td", { class: "num" }, message.message_id, candidate.current ? el("span", { class: "badge" }, "current link") : null),
            el("td", {}, message.chat_id, message.from_me ? " (sent)" : ""),
            el("td", {}, utc(message.sent_time !== null ? message.sent_time : message.insert_time)),
            el("td", { class: "num" }, message.declared_seconds !== null ? message.declared_seconds : "—"),
            el("td", { class: "num" }, percent(candidate.probability)),
            el("td", { class: "num" }, number(candidate.score, 1)),
            el("td", {}, linked),
            el("td", {}, waterfall(candidate.waterfall)),
            el("td", {},
              el("button", { type: "button", class: "accept", disabled: !open || candidate.current, onclick: () => decide("accept", item, message.message_id) }, "Accept"),
              " ",
              el("button", { type: "button", class: "reject", disabled: !open, onclick: () => decide("reject", item, message.message_id) },
                candidate.current ? "Reject (unlink)" : "Reject")));
        }

        function waterfall(w) {
          if (!w) return "—";
          const lines = w.lines.filter((line) => line.level !== null).map((line) =>
            el("tr", {}, el("td", {}, line.strategy), el("td", {}, line.level),
              el("td", { class: "num" }, (line.contribution >= 0 ? "+" : "") + number(line.contribution, 1)), el("td", {}, line.note)));
          return el("details", {}, el("summary", {}, "waterfall"),
            el("table", {}, el("tr", {}, el("td", {}, "prior"), el("td"), el("td", { class: "num" }, number(w.prior, 1)), el("td")),
              lines, el("tr", {}, el("td", {}, "= score"), el("td"), el("td", { class: "num" }, number(w.score, 1)), el("td"))));
        }

        async function decide(action, item, messageID) {
          const body = { file: item.file.path };
          if (messageID !== null) body.message_id = messageID;
          try {
            const outcome = await api("/api/review/" + action, body);
            const index = view.items.findIndex((other) => other.file.path === item.file.path);
            if (index >= 0) view.items[index] = outcome.item;
            status(item.file.path + ": " + outcome.note + (outcome.run ? " (run " + outcome.run + ")" : ""));
            render();
            const next = view.items.findIndex((other, position) => position > index && other.state === "open");
            if (next >= 0) focus(next, true);
            refreshCounts();
          } catch (error) {
            status(item.file.path + ": " + error.message, true);
          }
        }

        async function refreshCounts() {
          try {
            const page = await api("/api/review/items?limit=0");
            showCounts(page.counts);
          } catch (error) { /* the next load shows it */ }
        }

        function focus(index, scroll) {
          const cards = document.querySelectorAll("article.item");
          if (cards.length === 0) return;
          view.focus = Math.max(0, Math.min(index, cards.length - 1));
          cards.forEach((node, position) => node.classList.toggle("focused", position === view.focus));
          if (scroll) cards[view.focus].scrollIntoView({ block: "nearest" });
        }

        function choose(position) {
          const item = view.items[view.focus];
          if (!item || position >= item.candidates.length) return;
          view.chosen[item.file.path] = position;
          render();
        }

        function chosenCandidate() {
          const item = view.items[view.focus];
          if (!item) return [null, null];
          return [item, item.candidates[view.chosen[item.file.path] || 0]];
        }

        document.addEventListener("keydown", (event) => {
          if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
          const [item, candidate] = chosenCandidate();
          switch (event.key) {
            case "j": focus(view.focus + 1, true); break;
            case "k": focus(view.focus - 1, true); break;
            case "n": if (!$("next").disabled) { view.offset += view.limit; view.focus = 0; load(); } break;
            case "p": if (!$("prev").disabled) { view.offset = Math.max(0, view.offset - view.limit); view.focus = 0; load(); } break;
            case "a": if (candidate && !candidate.current) decide("accept", item, candidate.message.message_id); break;
            case "r": if (candidate) decide("reject", item, candidate.message.message_id); break;
            case "s": if (item) decide("skip", item, null); break;
            case " ": {
              const audio = document.querySelectorAll("article.item")[view.focus]?.querySelector("audio.file-audio");
              if (audio) { event.preventDefault(); audio.paused ? audio.play() : audio.pause(); }
              break;
            }
            default:
              if (/^[1-9]$/.test(event.key)) choose(Number(event.key) - 1);
              else return;
          }
        });

        $("filter").addEventListener("change", (event) => { view.filter = event.target.value; view.offset = 0; view.focus = 0; load(); });
        $("prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - view.limit); view.focus = 0; load(); });
        $("next").addEventListener("click", () => { view.offset += view.limit; view.focus = 0; load(); });
        $("refresh").addEventListener("click", async () => {
          status("Making the plan again…");
          try { await api("/api/review/refresh", {}); view.offset = 0; view.focus = 0; await load(); }
          catch (error) { status("Could not make the plan: " + error.message, true); }
        });
        load();
        """#
}
