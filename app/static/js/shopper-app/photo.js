// Photos are compressed on the phone (canvas → JPEG) to a bounded size and kept as base64 in IndexedDB:
// base64 is what the server takes, and it stores where Blobs in IndexedDB fail (older iOS).
import { t } from "./i18n.js";

export const MAX_PHOTO_BYTES = 400_000; // well under the server's 1,000,000-byte limit per photo
const MAX_SIDE = 1600;

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => { URL.revokeObjectURL(url); resolve(image); };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error(t("This file is not a picture the phone can read."))); };
    image.src = url;
  });
}

const toBase64 = (blob) => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(blob);
});

export async function compress(file) {
  const image = await loadImage(file);
  let scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    const quality = attempt < 4 ? 0.8 - attempt * 0.15 : 0.4;
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    if (blob && blob.size <= MAX_PHOTO_BYTES) {
      return { content_type: "image/jpeg", data: await toBase64(blob), size: blob.size };
    }
    if (attempt >= 3) scale *= 0.7;
  }
  throw new Error(t("The photo could not be made small enough; try a closer, simpler picture."));
}
