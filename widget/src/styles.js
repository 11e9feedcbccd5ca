// The widget's CSS, inside its shadow root so the host page cannot break it (and it cannot break the
// page). Sites theme it through the --connect-chat-* custom properties, which do cross the boundary.
// Default colours meet WCAG AA (4.5:1) for text on their backgrounds.
export const css = `
:host{--accent:var(--connect-chat-accent,#0b5cad);--on-accent:var(--connect-chat-on-accent,#fff);
--bg:var(--connect-chat-bg,#fff);--fg:var(--connect-chat-text,#1a1a1a);--muted:var(--connect-chat-muted,#595959);
--other:var(--connect-chat-other-bubble,#eef1f5);--danger:var(--connect-chat-danger,#b00020);
--radius:var(--connect-chat-radius,12px);
position:fixed;inset-block-end:16px;inset-inline-end:16px;display:flex;flex-direction:column;align-items:flex-end;gap:12px;z-index:var(--connect-chat-z,2147483000);
font:15px/1.4 var(--connect-chat-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg)}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,input,textarea,select{font:inherit;color:inherit}
button{cursor:pointer;border-radius:8px;border:1px solid var(--accent);background:var(--bg);color:var(--accent);padding:6px 12px}
button.primary,.launcher{background:var(--accent);color:var(--on-accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
header :focus-visible,.mine :focus-visible{outline-color:var(--on-accent)}
.launcher{display:flex;gap:8px;align-items:center;border-radius:999px;padding:12px 18px;font-weight:600;box-shadow:0 4px 14px #0004}
.icon{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;vertical-align:middle;flex:none}
.badge{background:var(--danger);color:#fff;border-radius:999px;padding:0 7px;font-size:13px}
.panel{display:flex;flex-direction:column;width:var(--connect-chat-width,370px);height:var(--connect-chat-height,560px);
max-height:calc(100vh - 32px);background:var(--bg);border-radius:var(--radius);box-shadow:0 8px 30px #0005;overflow:hidden}
.panel[data-state=form]{height:auto} /* the pre-chat form is as tall as its fields */
header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--accent);color:var(--on-accent)}
header h2{font-size:16px;margin:0;flex:1}
header button{background:transparent;color:var(--on-accent);border-color:var(--on-accent);padding:4px 10px}
.timers{display:flex;gap:12px;padding:4px 12px;font-size:13px;color:var(--muted);border-bottom:1px solid #ddd}
.status{padding:6px 12px;font-size:14px;background:#fff4ce;color:#1a1a1a}
.status:empty{display:none}
.error{color:var(--danger);margin:0}
.intro{margin:0}.intro:empty{display:none}
.confirm{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 12px;background:#fff4ce;color:#1a1a1a}
.confirm p{margin:0;flex:1;font-weight:600}
.waiting{margin:0;padding:4px 12px;font-size:13px;color:var(--muted);text-align:center}
.counter{margin:0;font-size:13px;color:var(--muted)}.counter:empty{display:none}.counter.error{color:var(--danger)}
form.prechat,.ended{padding:16px;display:flex;flex-direction:column;gap:10px;overflow:auto}
label{display:flex;flex-direction:column;gap:4px;font-weight:600;font-size:14px}
/* 16 px: below that, iOS Safari zooms the page when a field gets focus */
input,textarea,select{border:1px solid #767676;border-radius:8px;padding:8px;background:var(--bg);font-weight:400;font-size:16px}
.log{flex:1;overflow-y:auto;padding:8px 12px;display:flex;flex-direction:column}
.older{align-self:center;margin-block-end:8px}
/* Block layout, not flex: a long history lays out several times faster when it grows or scrolls. */
ol{list-style:none;margin:0;padding:0}.log>ol>li+li{margin-block-start:8px}
li.msg{width:fit-content;max-width:85%;display:flex;flex-direction:column}
li.msg.mine{margin-inline-start:auto;align-items:flex-end}
.who{font-size:12px;color:var(--muted);margin:0 4px 2px}
.bubble{background:var(--other);padding:8px 12px;border-radius:var(--radius);overflow-wrap:anywhere}
.bubble.plain{white-space:pre-wrap} /* plain text keeps its line breaks (markdown makes its own) */
.mine .bubble{background:var(--accent);color:var(--on-accent)}
.mine .bubble a{color:var(--on-accent)}
.bubble p,.preview p{margin:0}.bubble p+p{margin-top:6px}
.bubble ul,.bubble ol,.preview ul,.preview ol{margin:4px 0;padding-inline-start:20px;display:block}
.bubble ol,.preview ol{list-style:decimal}.bubble ul,.preview ul{list-style:disc}
.meta{font-size:12px;color:var(--muted);margin:2px 4px 0}
.meta button{padding:0 8px;font-size:12px;margin-inline-start:6px}
li.event{width:fit-content;margin-inline:auto;font-size:13px;color:var(--muted);text-align:center}
li.divider{display:flex;align-items:center;gap:8px;font-size:13px;color:var(--muted);font-weight:600}
li.divider::before,li.divider::after{content:"";flex:1;border-top:1px solid #bbb}
.typing{padding:0 12px;font-size:13px;color:var(--muted);min-height:18px}
form.composer{border-top:1px solid #ddd;padding:8px;display:flex;flex-direction:column;gap:6px}
.toolbar{display:flex;gap:4px}
.toolbar button{padding:2px 9px;min-width:32px}
.numbers span::before{content:"1."} /* drawn by CSS: as text, "1." would not match the button's name */
.toolbar button[aria-pressed=true]{background:var(--accent);color:var(--on-accent)}
.row{display:flex;gap:6px;align-items:flex-end}
textarea{flex:1;resize:none;min-height:40px;max-height:120px}
.preview{border:1px dashed #767676;border-radius:8px;padding:6px 8px;max-height:120px;overflow:auto}
.att{background:none;border:0;padding:0;text-decoration:underline;color:inherit;display:inline-flex;gap:4px;align-items:center;text-align:start}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* Fingers need larger targets than a mouse pointer (WCAG 2.5.5: 44 by 44 CSS pixels). */
@media (pointer:coarse){button,input,textarea,select{min-height:44px}button,.toolbar button{min-width:44px}}
@media (max-width:480px){:host{inset-block-end:8px;inset-inline-end:8px}
:host([data-open]){inset:0}:host([data-open]) .panel{width:100vw;height:100%;max-height:none;border-radius:0}
:host([data-open]) .launcher{display:none}}
`;
