import QRCode from "qrcode";

/** A QR code of the text as an SVG data: URL, drawn on the server so the text never goes to a third party. */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
