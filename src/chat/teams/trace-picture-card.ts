import type { ChatImage } from '../../incidents/chat-port.js';
import { card, textBlock, type AdaptiveCard } from './cards.js';

/** Teams shows card images up to 1 MB (learn.microsoft.com, Teams bots: "Use picture messages"). */
export const MAX_CARD_IMAGE_BYTES = 1024 * 1024;

/**
 * The trace picture as a card, the image inline as a data URI: Teams clients fetch a card's image URL
 * from the person's device without the console's sign-in, so a console URL would draw a broken image.
 * Base64 images do not count towards the bot message size limit. A picture over 1 MB is left out and
 * the card keeps the console link.
 */
export function tracePictureCard(image: ChatImage): AdaptiveCard {
  const inline = image.png.length <= MAX_CARD_IMAGE_BYTES;
  const body = [
    textBlock(image.text),
    inline
      ? { type: 'Image', url: `data:image/png;base64,${image.png.toString('base64')}`, altText: image.altText, size: 'Stretch' }
      : textBlock('The picture is too large for a Teams card; open it in the console.', { isSubtle: true }),
  ];
  const actions = image.link ? [{ type: 'Action.OpenUrl', title: image.link.label, url: image.link.url }] : [];
  return card(body, actions);
}
