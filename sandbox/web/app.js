// The sandbox page: one phone per person, redrawn from /api/state whenever
// /api/events says something changed. No build step, no dependencies.
"use strict";

const phones = new Map(); // person id → {root, chat, rendered, answers}

// Every post is JSON, even with nothing to say: the server refuses any
// other kind, which a form on another site could send.
async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  if (!res.ok) alert(await res.text());
}

// Telegram's HTML subset only: anything else becomes plain text, and links
// keep only http(s) and tg: addresses.
const allowed = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL", "CODE", "PRE", "A", "BLOCKQUOTE", "TG-SPOILER"]);
function telegramHTML(html) {
  const doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
  const out = document.createDocumentFragment();
  (function walk(from, to) {
    for (const n of from.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) {
        to.appendChild(linkify(n.textContent));
      } else if (n.nodeType === Node.ELEMENT_NODE) {
        let el = document.createDocumentFragment();
        if (allowed.has(n.tagName)) {
          el = document.createElement(n.tagName === "TG-SPOILER" ? "span" : n.tagName);
          const href = n.getAttribute("href") || "";
          if (n.tagName === "A" && /^(https?:|tg:)/i.test(href)) {
            el.href = href;
            el.target = "_blank";
            el.rel = "noopener";
          }
        }
        walk(n, el);
        to.appendChild(el);
      }
    }
  })(doc.body, out);
  return out;
}

// Invitation links (https://t.me/<bot>?start=<code>) open on a phone of
// your choice, as if that person had tapped the link in Telegram.
const startLink = /https:\/\/t\.me\/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})/g;
function linkify(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(startLink)) {
    out.appendChild(document.createTextNode(text.slice(last, m.index)));
    const a = document.createElement("a");
    a.href = m[0];
    a.textContent = m[0];
    a.className = "invite";
    a.addEventListener("click", (e) => { e.preventDefault(); chooseOpener(a, m[1]); });
    out.appendChild(a);
    last = m.index + m[0].length;
  }
  out.appendChild(document.createTextNode(text.slice(last)));
  return out;
}

function chooseOpener(anchor, code) {
  document.querySelectorAll(".opener").forEach((el) => el.remove());
  const menu = document.createElement("div");
  menu.className = "opener";
  const title = document.createElement("div");
  title.textContent = "Open on whose phone?";
  menu.appendChild(title);
  for (const [id, ph] of phones) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = ph.root.querySelector(".name").textContent;
    b.addEventListener("click", () => { menu.remove(); post(`/api/people/${id}/type`, { text: "/start " + code }); });
    menu.appendChild(b);
  }
  anchor.after(menu);
}

function phone(p) {
  let ph = phones.get(p.id);
  if (ph) return ph;
  const root = document.getElementById("phone").content.firstElementChild.cloneNode(true);
  root.dataset.person = p.id;
  root.querySelector(".name").textContent = p.name;
  const lang = root.querySelector(".lang");
  lang.addEventListener("change", () => post(`/api/people/${p.id}/language`, { lang: lang.value }));
  root.querySelector(".compose").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = root.querySelector(".text");
    if (!input.value.trim()) return;
    post(`/api/people/${p.id}/type`, { text: input.value });
    input.value = "";
  });
  root.querySelector(".voice").addEventListener("click", () => post(`/api/people/${p.id}/voice`));
  root.querySelector(".photo").addEventListener("click", () => post(`/api/people/${p.id}/photo`));
  const chat = root.querySelector(".chat");
  chat.addEventListener("scroll", () => { chat.dataset.stick = nearEnd(chat) ? "1" : ""; });
  document.getElementById("phones").appendChild(root);
  // The answers the bot gave before the page opened are not news.
  ph = { root, chat: root.querySelector(".chat"), rendered: "", answers: new Set((p.answers || []).map((a) => a.id)) };
  phones.set(p.id, ph);
  return ph;
}

// toast shows the bot's answer to a tap on that phone, as Telegram does: a
// notice that passes, or an alert to dismiss.
function toast(ph, a) {
  const box = document.createElement("div");
  box.className = "toast" + (a.alert ? " alert" : "");
  box.setAttribute("role", a.alert ? "alertdialog" : "status");
  const text = document.createElement("div");
  text.textContent = a.text;
  box.appendChild(text);
  if (a.alert) {
    const ok = document.createElement("button");
    ok.type = "button";
    ok.textContent = "OK";
    ok.addEventListener("click", () => box.remove());
    box.appendChild(ok);
  } else {
    setTimeout(() => box.remove(), 5000);
    box.addEventListener("click", () => box.remove());
  }
  ph.root.querySelector(".toasts").appendChild(box);
}

function message(p, m) {
  const li = document.createElement("li");
  li.className = "msg " + (m.fromBot ? "bot" : "me");
  li.dataset.message = m.id;
  const body = document.createElement("div");
  if (m.kind === "text") {
    body.appendChild(telegramHTML(m.html));
  } else {
    const card = document.createElement("span");
    card.className = "card";
    const label = { voice: "Voice note", photo: "Photo", video: "Video", video_note: "Video message", document: m.fileName || "Document", sticker: "Sticker", audio: "Audio", animation: "GIF" }[m.kind] || m.kind;
    if (m.kind === "photo" && m.file) {
      // The picture itself (a report's chart, a photo passed on), opening
      // full size as Telegram does when tapped.
      const a = document.createElement("a");
      a.href = m.file;
      a.target = "_blank";
      a.rel = "noopener";
      a.className = "photo";
      const img = document.createElement("img");
      img.src = m.file;
      img.alt = label;
      img.addEventListener("load", () => keepAtBottom(li));
      a.appendChild(img);
      body.appendChild(a);
    } else if (m.file) {
      // The file the bot sent opens as it would from the chat.
      const a = document.createElement("a");
      a.href = m.file;
      a.target = "_blank";
      a.rel = "noopener";
      a.className = "card file";
      a.textContent = label;
      a.title = "Open " + label;
      body.appendChild(a);
    } else if (m.kind === "voice" || m.kind === "video_note") {
      // The emulator keeps no media: every voice note plays one sample sound.
      card.textContent = label;
      body.appendChild(card);
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = "/sound.wav";
      audio.className = "voice-player";
      body.appendChild(audio);
    } else {
      card.textContent = label;
      body.appendChild(card);
    }
    if (m.html) {
      if (!body.querySelector("img")) body.appendChild(document.createElement("br"));
      body.appendChild(telegramHTML(m.html));
    }
  }
  li.appendChild(body);
  if (m.keyboard) {
    const kb = document.createElement("div");
    kb.className = "keyboard";
    if (m.dead) {
      // The bot refused the last tap on these buttons and left the message
      // as it was: shown greyed, still tappable, as a Telegram app keeps them.
      kb.classList.add("dead");
      kb.title = "The bot answered the last tap with: " + m.dead;
    }
    for (const row of m.keyboard) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.text;
        if (b.url) btn.addEventListener("click", () => window.open(b.url, "_blank", "noopener"));
        else btn.addEventListener("click", () => post(`/api/people/${p.id}/tap`, { message: m.id, data: b.data }));
        r.appendChild(btn);
      }
      kb.appendChild(r);
    }
    li.appendChild(kb);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = (m.silent ? "🔕 " : "") + (m.edited ? "edited " : "") + m.time;
  if (m.silent) meta.title = "sent silently (quiet hours)";
  li.appendChild(meta);
  return li;
}

// nearEnd: the chat shows its last message.
function nearEnd(chat) { return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40; }

// keepAtBottom: a picture that loads after the chat was scrolled to its
// end would push the end out of sight; the chat follows it, unless the
// reader had scrolled up (stick, kept by the chat's scroll events).
function keepAtBottom(li) {
  const chat = li.closest(".chat");
  if (chat && chat.dataset.stick === "1") chat.scrollTop = chat.scrollHeight;
}

async function refresh() {
  const res = await fetch("/api/state");
  if (!res.ok) return;
  const st = await res.json();
  document.getElementById("now").textContent = st.now + " (" + st.zone + ")";
  for (const p of st.people) {
    const ph = phone(p);
    const lang = ph.root.querySelector(".lang");
    if (document.activeElement !== lang) lang.value = p.lang;
    ph.root.querySelector(".role").textContent = p.role || "";
    for (const a of p.answers || []) {
      if (ph.answers.has(a.id)) continue;
      ph.answers.add(a.id);
      toast(ph, a);
    }
    const key = JSON.stringify(p.messages || []);
    if (key === ph.rendered) continue;
    ph.rendered = key;
    const atBottom = nearEnd(ph.chat);
    ph.chat.replaceChildren(...(p.messages || []).map((m) => message(p, m)));
    if (atBottom || ph.chat.dataset.seen !== "1") {
      ph.chat.scrollTop = ph.chat.scrollHeight;
      ph.chat.dataset.stick = "1";
    }
    ph.chat.dataset.seen = "1";
  }
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  setTimeout(() => { pending = false; refresh(); }, 20);
}

function live() {
  const es = new EventSource("/api/events");
  es.onmessage = schedule;
  es.onerror = () => { es.close(); setTimeout(live, 1000); };
}

document.querySelectorAll("[data-add]").forEach((b) => b.addEventListener("click", () => post("/api/clock", { add: b.dataset.add })));
document.getElementById("set").addEventListener("click", () => {
  const v = document.getElementById("when").value;
  if (v) post("/api/clock", { set: v });
});
document.getElementById("add").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target;
  post("/api/people", { name: f.name.value, lang: f.lang.value });
  f.reset();
});
refresh();
live();
setInterval(refresh, 5000); // a safety net should an event be missed
