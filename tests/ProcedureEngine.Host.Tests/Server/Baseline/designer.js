// ProcedureEngine designer: edits a procedure definition (YAML) against the server's own validator and decider.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const yaml = $("yaml"), gutter = $("gutter"), problems = $("problems"), preview = $("preview"), status = $("status");
  const token = $("token");
  // The published version open in the editor: the base of a new version.
  let opened = null;
  token.value = localStorage.getItem("pe-token") || "";
  token.addEventListener("change", () => { localStorage.setItem("pe-token", token.value.trim()); loadCatalogue(); loadDrafts(); });

  const headers = (type) => {
    const h = { "Authorization": "Bearer " + token.value.trim() };
    if (type) h["Content-Type"] = type;
    return h;
  };
  const say = (text) => { status.textContent = text; };
  const escape = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function renumber() {
    const lines = yaml.value.split("\n").length;
    gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
    gutter.scrollTop = yaml.scrollTop;
  }
  yaml.addEventListener("scroll", () => { gutter.scrollTop = yaml.scrollTop; });

  function goTo(line, column) {
    const lines = yaml.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, column - 1);
    yaml.focus();
    yaml.setSelectionRange(offset, offset);
    yaml.scrollTop = Math.max(0, (line - 5) * 18.85);
  }

  async function loadCatalogue() {
    const response = await fetch("/api/definitions", { headers: headers() });
    if (!response.ok) { $("procedures").replaceChildren(); say(response.status === 401 ? "Cần mã truy cập hợp lệ." : "Không tải được danh mục (" + response.status + ")."); return; }
    const items = await response.json();
    const filter = $("filter").value.toLowerCase();
    // Replaced in one go once the answer is in: a list being reloaded never stands empty under the user's click.
    $("procedures").replaceChildren(...items.filter((x) => !filter || x.code.includes(filter) || x.name.toLowerCase().includes(filter))
      .map((d) => item(d, () => open(d.code, d.version))));
  }

  function item(d, onClick) {
    const li = document.createElement("li");
    li.innerHTML = `<span class="code">${escape(d.code)}</span>v${d.version} · ${escape(d.name)}`;
    li.addEventListener("click", onClick);
    return li;
  }
  $("filter").addEventListener("input", loadCatalogue);

  async function loadDrafts() {
    const list = $("drafts");
    const response = await fetch("/api/definitions/drafts", { headers: headers() });
    if (!response.ok) { list.replaceChildren(); return; } // only administrators have drafts
    const drafts = await response.json();
    if (drafts.length === 0) { list.innerHTML = `<li class="muted">Chưa có bản nháp.</li>`; return; }
    list.replaceChildren(...drafts.map((d) => item(d, () => openDraft(d.code, d.version))));
  }

  async function openDraft(code, version) {
    const response = await fetch(`/api/definitions/drafts/${encodeURIComponent(code)}/${version}`, { headers: headers() });
    if (!response.ok) { say("Không mở được bản nháp " + code + " phiên bản " + version + "."); return; }
    opened = null;
    $("new-version").disabled = true;
    yaml.value = await response.text();
    renumber();
    await validate();
    say(`Bản nháp ${code} phiên bản ${version}: sửa, Lưu bản nháp, rồi Công bố.`);
  }


  async function open(code, version) {
    const response = await fetch(`/api/definitions/${encodeURIComponent(code)}/versions/${version}`, { headers: headers() });
    if (!response.ok) { say("Không mở được thủ tục " + code + "."); return; }
    opened = { code, version };
    $("new-version").disabled = false;
    yaml.value = await response.text();
    renumber();
    await validate();
  }

  function showProblems(result) {
    problems.innerHTML = "";
    if (result.problems.length === 0) {
      problems.innerHTML = `<li class="ok">Định nghĩa hợp lệ.</li>`;
    }
    for (const p of result.problems) {
      const li = document.createElement("li");
      li.className = p.severity;
      // The rule in Vietnamese, then the detail as the validator words it.
      li.textContent = `${p.line}:${p.column} ${p.severity === "error" ? "lỗi" : "cảnh báo"} ${p.code}: ${p.title ? p.title + " — " : ""}${p.message}`;
      li.title = p.message;
      li.addEventListener("click", () => goTo(p.line, p.column));
      problems.appendChild(li);
    }
  }

  // Durations come as the definition writes them ("5 working days"); the designer speaks Vietnamese.
  const vi = (duration) => String(duration ?? "")
    .replace(/ working days$/, " ngày làm việc").replace(/ working hours$/, " giờ làm việc").replace(/ days$/, " ngày");

  function showPreview(p) {
    if (!p) { preview.innerHTML = `<p class="muted">Sửa các lỗi để xem trước.</p>`; return; }
    const rows = p.steps.map((s) => `<tr><td>${escape(s.id)}${s.conditional ? " <em>(có điều kiện)</em>" : ""}</td><td>${escape(s.name)}</td>` +
      `<td>${escape(s.agency)}</td><td>${escape(vi(s.duration))}</td><td>${escape(s.after.join(", "))}</td></tr>`).join("");
    preview.innerHTML =
      `<p><strong>${escape(p.name)}</strong></p>` +
      `<p>Thời hạn giải quyết: ${escape(vi(p.timeLimit))} · ${p.documents} thành phần hồ sơ</p>` +
      (p.appointmentAt ? `<p class="appointment">Nếu tiếp nhận lúc ${escape(p.receivedAt)}, ngày hẹn trả kết quả: <strong id="appointment">${escape(p.appointmentAt)}</strong></p>` : "") +
      (p.problem ? `<p class="muted">${escape(p.problem)}</p>` : "") +
      `<table><thead><tr><th>Bước</th><th>Tên</th><th>Cơ quan</th><th>Thời gian</th><th>Sau bước</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  async function validate() {
    const response = await fetch("/api/definitions/validate", { method: "POST", headers: headers("application/yaml"), body: yaml.value });
    if (!response.ok) { say("Không kiểm tra được (" + response.status + ")."); return null; }
    const result = await response.json();
    showProblems(result);
    showPreview(result.preview);
    say(result.valid ? "Hợp lệ." : `${result.errors} lỗi, ${result.warnings} cảnh báo.`);
    return result;
  }

  let timer = 0;
  yaml.addEventListener("input", () => { renumber(); clearTimeout(timer); timer = setTimeout(validate, 400); });
  $("validate").addEventListener("click", validate);

  $("save").addEventListener("click", async () => {
    const response = await fetch("/api/definitions", { method: "POST", headers: headers("application/yaml"), body: yaml.value });
    const result = await response.json();
    if (response.ok) { say(`Đã lưu bản nháp ${result.draft.code} phiên bản ${result.draft.version}.`); loadDrafts(); }
    else { say(result.reason || result.error); if (result.problems) showProblems(result); }
  });

  $("publish").addEventListener("click", async () => {
    const code = (yaml.value.match(/^code:\s*"?([^"\n]+)"?/m) || [])[1];
    const version = (yaml.value.match(/^version:\s*(\d+)/m) || [])[1];
    if (!code || !version) { say("Định nghĩa cần có code và version."); return; }
    const response = await fetch(`/api/definitions/${encodeURIComponent(code.trim())}/versions/${version}/publish`, { method: "POST", headers: headers() });
    const result = await response.json();
    if (response.ok) {
      const closes = result.closes ? ` Phiên bản ${result.closes.version} hết hiệu lực sau ngày ${day(result.closes.effectiveUntil)}.` : "";
      say(`Đã công bố ${result.code} phiên bản ${result.version}, có hiệu lực từ ngày ${day(result.effectiveFrom)}.${closes}`);
      loadCatalogue();
      loadDrafts();
    }
    else { say(result.reason || result.error); if (result.problems) showProblems(result); }
  });

  const day = (iso) => iso.split("-").reverse().join("/");

  $("new-version").addEventListener("click", async () => {
    if (!opened) return;
    const from = $("from").value;
    const query = from ? "?from=" + encodeURIComponent(from) : "";
    const response = await fetch(`/api/definitions/${encodeURIComponent(opened.code)}/versions/${opened.version}/next${query}`, { headers: headers() });
    if (!response.ok) { const result = await response.json().catch(() => ({})); say(result.error || "Không tạo được phiên bản mới (" + response.status + ")."); return; }
    yaml.value = await response.text();
    opened = null;
    $("new-version").disabled = true;
    renumber();
    await validate();
    const version = (yaml.value.match(/^version:\s*(\d+)/m) || [])[1];
    const start = (yaml.value.match(/^\s*from:\s*(\d{4}-\d{2}-\d{2})/m) || [])[1];
    say(`Bản nháp phiên bản ${version}, hiệu lực từ ngày ${day(start)}: sửa những nội dung thay đổi, rồi Lưu bản nháp và Công bố.`);
  });

  renumber();
  if (token.value) { loadCatalogue(); loadDrafts(); }
})();
