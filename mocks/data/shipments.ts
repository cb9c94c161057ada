/**
 * Parcels that move the way parcels do: one route from the retailer's fulfilment center through
 * the carrier's hub to the buyer's city, scans in time order, "out for delivery" and "delivered"
 * only in the destination city, and nothing scanned after the mock clock's now. Most old parcels
 * are delivered; about one in twenty-five needed a second delivery attempt and one in a hundred
 * went back to the sender.
 */
import { CARRIERS, CARRIER_HUBS, FULFILMENT_CENTERS } from "./catalog.js";
import { SeededRandom } from "./random.js";
import type { MockAddress, MockShipment, MockShipmentStatus, MockShipmentUpdate } from "./types.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "Austin, TX": how carriers name a scan's place. */
export function placeOf(address: Pick<MockAddress, "city" | "region">): string {
  return `${address.city}, ${address.region}`;
}

interface PlannedScan extends MockShipmentUpdate {
  at: Date;
}

/**
 * The parcel of an order placed at `issuedAt` with `merchantName`, shipped to `destination`,
 * as far as it has come by `now`. Deterministic in `seed`.
 */
export function planShipment(seed: string, merchantName: string, issuedAt: Date, destination: string, now: Date): MockShipment {
  const random = new SeededRandom(seed);
  const carrier = random.pick(CARRIERS);
  const origin = FULFILMENT_CENTERS[merchantName] ?? "Memphis, TN";
  const hub = CARRIER_HUBS[carrier];
  const scans: PlannedScan[] = [];
  const scan = (status: MockShipmentStatus, at: number, location: string, message: string) => scans.push({ status, at: new Date(at), location, message });

  const labelAt = issuedAt.getTime() + Math.min(random.int(5, 90) * 60_000, Math.max(0, now.getTime() - issuedAt.getTime()));
  scan("label_created", labelAt, origin, "Shipping label created");
  const pickedUp = labelAt + random.int(4, 20) * HOUR;
  scan("in_transit", pickedUp, origin, "Picked up by carrier");
  const atHub = pickedUp + random.int(8, 30) * HOUR;
  scan("in_transit", atHub, hub, "Arrived at carrier hub");
  const atDestination = atHub + random.int(10, 40) * HOUR;
  scan("in_transit", atDestination, destination, "Arrived at destination facility");

  const outcome = random.next();
  // Deliveries go out the morning after the parcel reaches the local facility (13:00–15:00 UTC is morning in the US).
  const firstRound = Math.floor(atDestination / DAY) * DAY + DAY + random.int(13 * 60, 15 * 60) * 60_000;
  const estimatedDelivery = new Date(firstRound).toISOString().slice(0, 10);
  if (outcome < 0.01) {
    scan("exception", atDestination + random.int(2, 6) * HOUR, destination, "Address could not be verified; returning to sender");
  } else if (outcome < 0.05) {
    scan("out_for_delivery", firstRound, destination, "Out for delivery");
    scan("exception", firstRound + random.int(2, 7) * HOUR, destination, "Delivery attempted: no one available to sign");
    const secondRound = firstRound + DAY;
    scan("out_for_delivery", secondRound, destination, "Out for delivery");
    scan("delivered", secondRound + random.int(2, 8) * HOUR, destination, "Delivered");
  } else {
    scan("out_for_delivery", firstRound, destination, "Out for delivery");
    scan("delivered", firstRound + random.int(2, 8) * HOUR, destination, "Delivered");
  }

  const updates = scans.filter((s) => s.at.getTime() <= now.getTime());
  return {
    carrier,
    trackingNumber: trackingNumberFor(carrier, random),
    status: updates[updates.length - 1]!.status,
    estimatedDelivery,
    updates,
    route: { origin, hub, destination },
  };
}

function trackingNumberFor(carrier: (typeof CARRIERS)[number], random: SeededRandom): string {
  if (carrier === "UPS") return `1Z${random.digits(16)}`;
  if (carrier === "FedEx") return random.digits(12);
  return `9400${random.digits(18)}`;
}

/** Where the next scan of a parcel moving on to `status` happens: along its route, delivery steps at the destination. */
export function nextScanPlace(shipment: MockShipment, status: MockShipmentStatus): string {
  const { origin, hub, destination } = shipment.route;
  const last = shipment.updates[shipment.updates.length - 1]?.location ?? origin;
  if (status === "in_transit") return last === origin ? hub : destination;
  if (status === "exception") return last;
  if (status === "label_created") return origin;
  return destination;
}
