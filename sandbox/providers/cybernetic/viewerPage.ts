// The session viewer: a sandbox page (on the Cybernetic origin) that streams an animated scene over real WebRTC in
// loopback — canvas.captureStream() → sender RTCPeerConnection → receiver RTCPeerConnection (no STUN) → <video>.
// Its inline script runs under the page's own CSP nonce; frame-ancestors lets the extension's webview embed it.
import { randomBytes } from 'node:crypto';

export function viewerPage(sessionId: string, status: string): { html: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'media-src blob: mediastream:',
    // The extension embeds the viewer in a webview iframe; any origin (and the webview schemes) may frame it.
    'frame-ancestors * vscode-webview: vscode-file:',
  ].join('; ');
  const id = JSON.stringify(sessionId).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Isaac Sim viewer — ${escapeHtml(sessionId)}</title>
<style nonce="${nonce}">html,body{margin:0;background:#111;color:#ddd;font:12px sans-serif;height:100%}#scene{display:none}video{width:100%;height:calc(100% - 20px);object-fit:contain;background:#000}#state{height:20px;padding:2px 6px}</style>
</head><body data-session-id="${escapeHtml(sessionId)}" data-status="${escapeHtml(status)}">
<canvas id="scene" width="640" height="360" hidden></canvas>
<video id="stream" autoplay muted playsinline></video>
<div id="state">connecting…</div>
<script nonce="${nonce}">
(async () => {
  const sessionId = ${id};
  const canvas = document.getElementById('scene');
  const video = document.getElementById('stream');
  const state = document.getElementById('state');
  const g = canvas.getContext('2d');
  let frame = 0;
  const draw = () => {
    frame++;
    const t = frame / 60;
    g.fillStyle = '#1b2330'; g.fillRect(0, 0, 640, 360);
    g.fillStyle = '#2d3b4f'; g.fillRect(0, 260, 640, 100);
    const x = 320 + Math.cos(t) * 200, y = 200 + Math.sin(t * 2) * 50;
    g.fillStyle = '#e07b39'; g.beginPath(); g.arc(x, y, 30, 0, Math.PI * 2); g.fill();
    g.strokeStyle = '#9ad'; g.lineWidth = 8; g.beginPath(); g.moveTo(320, 260); g.lineTo(320 + Math.cos(t * 1.3) * 90, 170 + Math.sin(t * 1.3) * 40); g.stroke();
    g.fillStyle = '#ddd'; g.font = '14px sans-serif'; g.fillText('Isaac Sim (sandbox) ' + sessionId + ' frame ' + frame, 10, 20);
    requestAnimationFrame(draw);
  };
  draw();
  const stream = canvas.captureStream(30);
  const sender = new RTCPeerConnection({ iceServers: [] });
  const receiver = new RTCPeerConnection({ iceServers: [] });
  sender.onicecandidate = (e) => { if (e.candidate) receiver.addIceCandidate(e.candidate); };
  receiver.onicecandidate = (e) => { if (e.candidate) sender.addIceCandidate(e.candidate); };
  // For end-to-end checks: the received video's size once frames arrive.
  video.addEventListener('loadeddata', () => { document.body.dataset.video = video.videoWidth + 'x' + video.videoHeight; });
  receiver.ontrack = (e) => { video.srcObject = e.streams[0] || new MediaStream([e.track]); video.play().catch(() => {}); };
  receiver.onconnectionstatechange = () => { state.textContent = 'WebRTC ' + receiver.connectionState; document.body.dataset.webrtc = receiver.connectionState; };
  for (const track of stream.getTracks()) sender.addTrack(track, stream);
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription);
})().catch((err) => { document.getElementById('state').textContent = 'viewer error: ' + err; });
</script>
</body></html>`;
  return { html, headers: { 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } };
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
