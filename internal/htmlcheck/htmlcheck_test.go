package htmlcheck

import (
	"slices"
	"testing"
)

func TestLive(t *testing.T) {
	for _, tc := range []struct {
		page string
		want []string
	}{
		{`<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>`, nil},
		{`<p title="a onclick=x">x</p>`, nil},
		{`<a href="https://example.org/">ok</a><img src="data:image/png;base64,AA">`, nil},
		{`<!-- <script>x</script> --><p>ok</p>`, nil},
		{`<SCRIPT>alert(1)</SCRIPT>`, []string{"script: <SCRIPT>alert(1)"}},
		{`<div OnClick='x()'>`, []string{"handler: div onclick=x()"}},
		{`<img src=x onerror=alert(1)>`, []string{"handler: img onerror=alert(1)"}},
		{`<a href="java&#x09;script&colon;alert(1)">x</a>`, []string{"url: a href=java&#x09;script&colon;alert(1)"}},
		{`<a href=" JaVaScRiPt:x">`, []string{"url: a href= JaVaScRiPt:x"}},
		{`<a href="data:text/html,x">`, []string{"url: a href=data:text/html,x"}},
		{`<iframe src="x"></iframe>`, []string{"element: iframe"}},
		{`<meta http-equiv="Refresh" content="0;url=javascript:x">`, []string{"element: meta refresh", "url: meta content=0;url=javascript:x"}},
		{`<p>1 < 2</p>`, nil},
		// a scheme begins with a letter: "=data:" in an href is a relative path
		{`<a href="=data:">x</a><a href="?q=1,data:text/html">y</a>`, nil},
		{`<img srcset="a.png 1x, data:text/html,x 2x">`, []string{"url: img srcset=a.png 1x, data:text/html,x 2x"}},
		{`<meta http-equiv="refresh" content="0;url=data:text/html,x">`, []string{"element: meta refresh", "url: meta content=0;url=data:text/html,x"}},
		{`<img srcset="data:image/png;base64,AA 1x, data:text/html,x 2x">`, []string{"url: img srcset=data:image/png;base64,AA 1x, data:text/html,x 2x"}},
		// meta refresh: the URL after the delay, with or without url=, quoted or not
		{`<meta http-equiv="refresh" content="0 data:text/html,x">`, []string{"element: meta refresh", "url: meta content=0 data:text/html,x"}},
		{"<meta http-equiv=\"refresh\" content=\"0\tdata:text/html,x\">", []string{"element: meta refresh", "url: meta content=0\tdata:text/html,x"}},
		{`<meta http-equiv="refresh" content="0;url='data:text/html,x'">`, []string{"element: meta refresh", "url: meta content=0;url='data:text/html,x'"}},
		{`<meta http-equiv="refresh" content="0;url=&quot;data:text/html,x&quot;">`, []string{"element: meta refresh", "url: meta content=0;url=&quot;data:text/html,x&quot;"}},
		{"<meta http-equiv=\"refresh\" content=\"0; 'da\nta:text/html,x'\">", []string{"element: meta refresh", "url: meta content=0; 'da\nta:text/html,x'"}},
		{`<meta http-equiv="&#82;efresh" content="0 data:text/html,x">`, []string{"element: meta refresh", "url: meta content=0 data:text/html,x"}},
		// elsewhere a meta element's content is text
		{`<meta name="description" content="see data:text/html,x or javascript:x">`, nil},
		// a space inside the scheme ends it; a tab or newline does not
		{`<a href="da ta:text/html,x">x</a>`, nil},
		{"<a href=\" da\tta:text/html,x\">x</a>", []string{"url: a href= da\tta:text/html,x"}},
		{`<meta http-equiv="refresh" content="0;url=metadata.html">`, []string{"element: meta refresh"}},
	} {
		if got := Live(tc.page); !slices.Equal(got, tc.want) {
			t.Errorf("Live(%q)\n got %q\nwant %q", tc.page, got, tc.want)
		}
	}
}
