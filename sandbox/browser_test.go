package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's Chromium (or Chrome); ./test.sh installs it
// and looks for the same names.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium: install it (Debian: apt-get install chromium); ./test.sh does")
	return ""
}

// browser starts Chromium for the test, stopped when it ends; every step
// must be done within a minute.
func browser(t *testing.T, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts = append(append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.WindowSize(1400, 900)), opts...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// The page in a real browser: a parent's phone asks for the languages,
// taps a button, and the bot's answer appears in place of the question;
// a button of a menu a newer one replaced says it has expired, in a toast,
// and is greyed; then a teacher's invitation link is opened on the
// parent's phone. SANDBOX_SCREENSHOTS=dir keeps the screenshots.
func TestSandboxPageInABrowser(t *testing.T) {
	_, c, stop := start(t, Options{Seed: true})
	defer stop()
	ctx := browser(t)

	const phone = `article[data-person="1004"]`
	const lang = `//article[@data-person="1004"]//button[normalize-space()="简体中文"]`
	err := chromedp.Do(ctx,
		chromedp.Navigate(c.url),
		chromedp.WaitVisible(chromedp.CSS(phone+` input.text`)),
		chromedp.SendKeys(chromedp.CSS(phone+` input.text`), "/language"),
		chromedp.Click(chromedp.CSS(phone+` button.send`)),
		chromedp.WaitVisible(lang),
		chromedp.Click(lang),
		chromedp.WaitVisible(`//article[@data-person="1004"]//li[contains(., "好的，以后我会用简体中文")]`),
	)
	if err != nil {
		t.Fatalf("in the browser: %v; the phone shows %+v", err, c.phone(1004).Messages)
	}
	// The question was edited in place: no keyboard is left on the phone
	// but the one on the request the demonstration gave him (his first
	// message).
	buttons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('article[data-person="1004"] li:not(:first-child) .keyboard button').length`))
	if err != nil {
		t.Fatal(err)
	}
	if buttons != 0 {
		t.Fatalf("%d buttons left on the answered question", buttons)
	}
	// An older menu's button has expired: the bot's answer shows as a toast
	// on his phone, and that keyboard alone is greyed.
	const keyboards = `//article[@data-person="1004"]//div[contains(@class,"keyboard")]`
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(phone+` input.text`), "/language"),
		chromedp.Click(chromedp.CSS(phone+` button.send`)),
		chromedp.WaitVisible(`(`+keyboards+`)[2]`),
		chromedp.SendKeys(chromedp.CSS(phone+` input.text`), "/language"),
		chromedp.Click(chromedp.CSS(phone+` button.send`)),
		chromedp.WaitVisible(`(`+keyboards+`)[3]`),
		chromedp.Click(`(`+keyboards+`)[2]//button[1]`),
		chromedp.WaitVisible(chromedp.CSS(phone+` .toast`)),
		chromedp.WaitVisible(chromedp.CSS(phone+` .keyboard.dead`)),
	)
	if err != nil {
		t.Fatalf("tapping an expired button: %v; the phone shows %+v", err, c.phone(1004))
	}
	answers := c.phone(1004).Answers
	if len(answers) != 1 {
		t.Fatalf("answers: %+v", answers)
	}
	toast, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('article[data-person="1004"] .toast').textContent`))
	if err != nil || toast != answers[0].Text {
		t.Fatalf("the toast says %q (%v), the bot answered %q", toast, err, answers[0].Text)
	}
	dead, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll('article[data-person="1004"] .keyboard')].map((k) => k.classList.contains("dead"))`))
	if err != nil || len(dead) != 3 || dead[0] || !dead[1] || dead[2] {
		t.Fatalf("greyed keyboards: %v (%v)", dead, err)
	}
	screenshot(t, ctx, "expired-toast.jpg")

	// The teacher makes an invitation; its link opens on the father's phone.
	const teacher = `article[data-person="1002"]`
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(teacher+` input.text`), "/children"),
		chromedp.Click(chromedp.CSS(teacher+` button.send`)),
		chromedp.Click(`//article[@data-person="1002"]//button[normalize-space()="小明"]`),
		chromedp.Click(`//article[@data-person="1002"]//button[normalize-space()="邀请家长"]`),
		chromedp.Click(chromedp.CSS(teacher+` a.invite`)),
		chromedp.Click(`//article[@data-person="1002"]//div[@class="opener"]/button[normalize-space()="Zhang Jian"]`),
		chromedp.WaitVisible(`//article[@data-person="1004"]//li[contains(., "您是小明的家长，并且同意以上内容吗")]`),
	)
	if err != nil {
		t.Fatalf("opening an invitation: %v; the father's phone shows %+v", err, c.phone(1004).Messages)
	}
	screenshot(t, ctx, "sandbox.jpg")
}

// screenshot saves the page as it is, in $SANDBOX_SCREENSHOTS when set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SANDBOX_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// A site the user visits cannot use the sandbox from their browser: its
// script's post, sent as a form would send it (text/plain, which needs no
// permission), is refused before the phone types anything, and a JSON post
// is stopped by the browser itself. A name the site points at this machine
// (DNS rebinding) shows a refusal, not the phones.
func TestSandboxIsOutOfOtherSitesReachInABrowser(t *testing.T) {
	_, c, stop := start(t, Options{Seed: true})
	defer stop()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "<!doctype html><title>Cute cats</title><p>Cute cats")
	}))
	defer site.Close()
	port := func(u string) string { return u[strings.LastIndex(u, ":")+1:] }
	// evil.test is the other site's name; it resolves to this machine.
	ctx := browser(t, chromedp.Flag("host-resolver-rules", "MAP evil.test 127.0.0.1"))

	script := `(async () => {
	  const to = "` + c.url + `/api/people/1004/type";
	  const plain = await fetch(to, {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
	    body: JSON.stringify({text: "typed by another site"})}).then(() => "sent", () => "blocked");
	  const json = await fetch(to, {method: "POST", headers: {"Content-Type": "application/json"},
	    body: JSON.stringify({text: "typed by another site's script"})}).then(() => "sent", () => "blocked");
	  return plain + ", " + json;
	})()`
	if err := chromedp.Do(ctx, chromedp.Navigate("http://evil.test:"+port(site.URL)+"/")); err != nil {
		t.Fatal(err)
	}
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// The no-cors post reached the sandbox and was answered: had it been
	// taken, the phone would show its text by now.
	if sent != "sent, blocked" {
		t.Fatalf("the other site's posts: %s", sent)
	}
	for _, m := range c.phone(1004).Messages {
		if strings.Contains(m.HTML, "another site") {
			t.Fatalf("the father's phone shows %q, typed by another site", m.HTML)
		}
	}

	// The other site's name, pointed at the sandbox's port.
	if err := chromedp.Do(ctx, chromedp.Navigate("http://evil.test:"+port(c.url)+"/")); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "refused: Host evil.test") || strings.Contains(body, "Zhang Jian") {
		t.Fatalf("evil.test shows: %.200s", body)
	}
}
