import Foundation
import Serve
import Testing

/// The review page in a real headless Chromium: it loads, a note's `<audio>` gets its metadata with
/// the probed duration (through the server's Range answers), Accept is clicked and the database row
/// then holds the link, and the `s` key skips the file the focus moved on to. Writes a screenshot
/// (to docs/review-page.png with AUDIOSYNC_WRITE_SCREENSHOT=1).
@Suite(.serialized)
struct BrowserTests {
    @Test(
        "The review page plays a note and Accept writes the link",
        .enabled(if: WebDriver.available || ProcessInfo.processInfo.environment["CI"] == "true"))
    func reviewInTheBrowser() async throws {
        let store = try await ServedStore()
        let server = try await RunningServer.start(store.configuration())
        let browser = try await WebDriver()
        do {
            try await browser.open("\(server.base)/review")
            // Resolves when the page has rendered its first page of items (a DOM change, not a timer).
            let count =
                try await browser.executeAsync(
                    """
                    const done = arguments[arguments.length - 1];
                    const main = document.getElementById("items");
                    const ready = () => main.dataset.loaded === "true";
                    if (ready()) return done(document.querySelectorAll("article.item").length);
                    new MutationObserver((_, observer) => {
                      if (ready()) { observer.disconnect(); done(document.querySelectorAll("article.item").length); }
                    }).observe(main, { attributes: true });
                    """) as? Int
            #expect((count ?? 0) > 0, "the page shows review items")

            // The first item's player: resolves on loadedmetadata (or at once if it has it already).
            let metadata =
                try await browser.executeAsync(
                    """
                    const done = arguments[arguments.length - 1];
                    const audio = document.querySelector("article.item audio.file-audio");
                    const report = () => done({ readyState: audio.readyState, duration: audio.duration,
                      probed: Number(audio.dataset.duration), error: audio.error ? audio.error.code : null });
                    if (audio.readyState >= 1 || audio.error) return report();
                    audio.addEventListener("loadedmetadata", report, { once: true });
                    audio.addEventListener("error", report, { once: true });
                    audio.load();
                    """) as? [String: Any]
            let readyState = (metadata?["readyState"] as? Int) ?? 0
            let duration = (metadata?["duration"] as? Double) ?? .nan
            let probed = (metadata?["probed"] as? Double) ?? .nan
            #expect(metadata?["error"] is NSNull, "the browser plays the note: \(String(describing: metadata))")
            #expect(readyState >= 1)
            #expect(abs(duration - probed) < 0.1, "the browser's duration \(duration) s is the probe's \(probed) s")

            let items = try await ReviewTests.items(server)
            let (file, message) = try #require(ReviewTests.freshPair(in: items))
            let escaped = file.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            try await browser.click(
                #"article.item[data-file="\#(escaped)"] tr[data-message="\#(message)"] button.accept"#)
            // Resolves when the item's card says it was accepted: the server answered the POST.
            let state = try await Self.settledState(of: file, in: browser)
            let status = try await browser.execute("return document.getElementById('status').textContent")
            #expect(state == "accepted", "status line: \(String(describing: status))")
            #expect(try store.localPath(of: message) == file, "the database row holds the link")

            // The keyboard: after a decision the next open file has the focus; `s` skips it.
            let focused = try #require(
                try await browser.execute(
                    #"return document.querySelector("article.item.focused")?.dataset.file ?? null"#) as? String)
            #expect(focused != file, "the focus moved on from the accepted file")
            try await browser.press("s")
            #expect(try await Self.settledState(of: focused, in: browser) == "skipped")
            let skipped = try await ReviewTests.items(server, query: "state=skipped")
            #expect(skipped.compactMap { ($0["file"] as? [String: Any])?["path"] as? String } == [focused])

            let png = try await browser.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let target =
                ProcessInfo.processInfo.environment["AUDIOSYNC_WRITE_SCREENSHOT"] == "1"
                ? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                    "../../docs/review-page.png")
                : URL(fileURLWithPath: store.folder + "/review-page.png")
            try png.write(to: target)
        } catch {
            await browser.quit()
            try? await server.stop()
            throw error
        }
        await browser.quit()
        try await server.stop()
    }

    /// The state of `file`'s card once it is no longer open: resolves on the DOM change that shows
    /// the server's answer, not after any time.
    static func settledState(of file: String, in browser: WebDriver) async throws -> String? {
        try await browser.executeAsync(
            """
            const [file, done] = [arguments[0], arguments[arguments.length - 1]];
            const card = () => [...document.querySelectorAll("article.item")].find((node) => node.dataset.file === file);
            const settled = () => card() && card().dataset.state !== "open";
            if (settled()) return done(card().dataset.state);
            new MutationObserver((_, observer) => {
              if (settled()) { observer.disconnect(); done(card().dataset.state); }
            }).observe(document.getElementById("items"), { attributes: true, childList: true, subtree: true });
            """, [file]) as? String
    }
}
